// Hovering a value highlights its row's label and its column's header:
// a crosshair over tables whose labels span rows and columns.
document.addEventListener("mouseover", function (e) {
  var td = e.target.closest && e.target.closest("td.v");
  document.querySelectorAll(".cross").forEach(function (x) { x.classList.remove("cross"); });
  if (!td) return;
  td.parentElement.classList.add("cross");
});
// The source beside the table is scrolled to the marked cell.
window.addEventListener("load", function () {
  var m = document.getElementById("marker"), side = document.getElementById("source");
  if (!m || !side) return;
  var r = m.getBoundingClientRect(), s = side.getBoundingClientRect();
  side.scrollTop += r.top - s.top - side.clientHeight / 2;
});
