// Downloads of the de-identified data sets (#/export; statisticians, data
// managers, admins): the registry CSV and its dictionary, ADaM ADTTE per
// endpoint and ADRS per criteria, each of the user's sites (GET /api/export/...).
import { el } from './api.js';

const downloads = [
  ['registry.csv', 'De-identified registry (REDCap shape, as sirtkit registry export)'],
  ['dictionary.csv', 'Its data dictionary'],
  ['adtte.csv?endpoint=os&months=1', 'ADTTE overall survival (months)'],
  ['adtte.csv?endpoint=pfs&months=1', 'ADTTE progression-free survival (months)'],
  ['adtte.csv?endpoint=ttp&months=1', 'ADTTE time to progression (months)'],
  ['adrs.csv?criteria=recist', 'ADRS tumour response, RECIST 1.1'],
  ['adrs.csv?criteria=mrecist', 'ADRS tumour response, mRECIST'],
];

export async function showExport(root) {
  root.replaceChildren(el('h2', { id: 'export-title' }, 'Downloads'),
    el('p', {}, 'Pseudonyms and shifted dates only (statisticians: no calendar date at all); the patients of your sites.'),
    el('ul', { id: 'downloads' }, ...downloads.map(([path, label]) => el('li', {},
      el('a', { href: '/api/export/' + path, download: '', id: 'download-' + path.replace(/[^a-z]+/g, '-') }, label)))));
}
