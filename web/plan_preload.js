// Opening a plan (#/plan/ID) as the first page: niivue's module (3.1 MB, its
// download and compilation most of a second) is asked for while the HTML is
// parsed, not after app.js and the modules it imports have arrived (about
// 0.3-0.4 s later). A module preload compiles it off the page's thread;
// app.js's and plan.js's import() then find it. A classic script (no imports,
// nothing to wait for), loaded async by index.html.
if (location.hash.startsWith('#/plan/')) {
  const link = document.createElement('link');
  link.rel = 'modulepreload';
  link.href = '/vendor/niivue/niivue.js';
  document.head.appendChild(link);
}
