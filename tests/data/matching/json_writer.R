# A small JSON writer for the goldens of this folder (jsonlite is not
# installed here): numbers to 17 significant digits, NA as null, named lists
# as objects, vectors of length != 1 (or wrapped in I()) as arrays.
to_json <- function(x, indent = "") {
  ind <- paste0(indent, "  ")
  if (is.list(x) && !is.null(names(x))) {
    if (length(x) == 0) return("{}")
    items <- vapply(names(x), function(k) paste0(ind, "\"", k, "\": ", to_json(x[[k]], ind)), "")
    return(paste0("{\n", paste(items, collapse = ",\n"), "\n", indent, "}"))
  }
  if (is.list(x)) {
    if (length(x) == 0) return("[]")
    items <- vapply(x, function(v) paste0(ind, to_json(v, ind)), "")
    return(paste0("[\n", paste(items, collapse = ",\n"), "\n", indent, "]"))
  }
  one <- function(v) {
    if (is.na(v)) "null"
    else if (is.character(v)) paste0("\"", gsub("\"", "\\\\\"", v), "\"")
    else if (is.logical(v)) tolower(as.character(v))
    else if (is.numeric(v) && is.finite(v) && v == round(v) && abs(v) < 1e15) sprintf("%.0f", v)
    else sprintf("%.17g", v)
  }
  s <- vapply(as.list(unclass(x)), one, "")
  if (length(x) == 1 && !inherits(x, "AsIs")) s else paste0("[", paste(s, collapse = ", "), "]")
}
