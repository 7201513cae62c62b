/* The home page map: a choropleth of one measure for one year and one tier of councils.
   Boundaries come from the site's own compact files (see councilperf/public/mapdata.py);
   figures from /map-data/<year>/figures.json. Every shape is a link: hover or focus shows
   its name and figure, click or Enter opens the council's page. The shapes are one stop in
   the tab order (a roving tabindex): the arrow keys move to the nearest council in that
   direction, Home and End to the first and last by name, and Tab leaves the map. */
(function () {
  "use strict";
  var configElement = document.getElementById("map-config");
  var mapElement = document.getElementById("map");
  if (!configElement || !mapElement || !window.L) return;
  document.getElementById("map-layout").hidden = false;
  document.getElementById("map-fallback").hidden = true;
  var config = JSON.parse(configElement.textContent);
  var state = { year: config.year, tier: config.tier, metric: config.metric, colour: config.colourBy || "compared" };
  var cache = {};
  var map, layer;
  var stops = []; // {path, code, name, polygon}: the shapes, in name order
  var current = null; // the one shape in the tab order

  function makeCurrent(stop) {
    if (current && current !== stop) current.path.setAttribute("tabindex", "-1");
    current = stop;
    stop.path.setAttribute("tabindex", "0");
  }

  function centre(stop) {
    var box = stop.path.getBoundingClientRect();
    return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
  }

  // The nearest shape whose centre lies in the arrow's direction (within 60 degrees of it),
  // distance across the direction counting double.
  function neighbour(from, key) {
    var d = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowDown: [0, 1], ArrowUp: [0, -1] }[key];
    var here = centre(from), best = null, bestScore = Infinity;
    stops.forEach(function (stop) {
      if (stop === from) return;
      var there = centre(stop);
      var dx = there.x - here.x, dy = there.y - here.y;
      var along = dx * d[0] + dy * d[1], across = Math.abs(dx * d[1] - dy * d[0]);
      if (along <= 0 || across > along * 1.8) return;
      var score = along + 2 * across;
      if (score < bestScore) { bestScore = score; best = stop; }
    });
    return best;
  }

  function moveFocus(stop) {
    if (!stop) return;
    makeCurrent(stop);
    stop.path.focus({ preventScroll: true });
  }

  function onKey(stop, event) {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      window.location.href = stop.url;
    } else if (/^Arrow/.test(event.key)) {
      event.preventDefault();
      moveFocus(neighbour(stop, event.key));
    } else if (event.key === "Home" || event.key === "End") {
      event.preventDefault();
      moveFocus(event.key === "Home" ? stops[0] : stops[stops.length - 1]);
    }
  }

  function getJSON(url) {
    if (!cache[url]) {
      cache[url] = fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error(url + ": " + response.status);
        return response.json();
      });
    }
    return cache[url];
  }

  function decode(data) {
    var kx = data.scale[0], ky = data.scale[1], x0 = data.translate[0], y0 = data.translate[1];
    return data.shapes.map(function (shape) {
      return {
        code: shape.code,
        latlngs: shape.polygons.map(function (polygon) {
          return polygon.map(function (ring) {
            var x = 0, y = 0, points = [];
            for (var i = 0; i < ring.length; i += 2) {
              x += ring[i];
              y += ring[i + 1];
              points.push([y * ky + y0, x * kx + x0]);
            }
            return points;
          });
        })
      };
    });
  }

  function metric() { return config.metrics[state.metric]; }

  // The region or county filter (from the address): the server lists the councils kept.
  var only = null;
  if (config.only) {
    only = {};
    config.only.forEach(function (code) { only[code] = true; });
  }
  function kept(code) { return only === null || only[code] === true; }

  // Figures arrive written by the server's one formatter (figures.json "display"); the
  // script never rounds a number itself.
  function shown(authority) {
    var value = authority.values[state.metric];
    if (value === null || value === undefined) return "no investigations";
    return authority.display[state.metric] + (authority.small[state.metric] ? " (too few cases to compare)" : "");
  }

  // A council with too few cases is hatched, never given a class or an extreme colour.
  function colourFor(authority, figures) {
    var code = state.metric, value = authority.values[code];
    if (value === null || value === undefined) return config.noData;
    if (authority.small[code]) return config.hatch;
    if (state.colour === "compared") return config.comparisonColours[authority.comparisons[code]] || config.noData;
    var breaks = figures.breaks[state.tier][code], i = 0;
    while (i < breaks.length && value >= breaks[i]) i += 1;
    return config.colours[i];
  }

  function describe(authority, m) {
    return authority.name + ": " + shown(authority);
  }

  function showReadout(authority, m) {
    var readout = document.getElementById("map-readout");
    var out = authority.denominators[state.metric];
    readout.innerHTML = "";
    var name = document.createElement("strong");
    name.textContent = authority.name;
    readout.appendChild(name);
    readout.appendChild(document.createElement("br"));
    readout.appendChild(document.createTextNode(
      m.label.replace(/ \(.*\)$/, "") + ": " + shown(authority) +
      (out !== null && out !== undefined && m.percent ? " (of " + out + ")" : "")));
  }

  function draw(shapes, figures) {
    var m = metric();
    if (layer) layer.remove();
    layer = L.featureGroup();
    var drawn = 0;
    var currentCode = current ? current.code : null;
    stops = [];
    current = null;
    shapes.forEach(function (shape) {
      var authority = figures.authorities[shape.code];
      if (!authority || !kept(shape.code)) return;
      var polygon = L.polygon(shape.latlngs, {
        color: "#505a5f", weight: state.tier === "upper" ? 1 : 0.7, fillOpacity: 1,
        fillColor: colourFor(authority, figures)
      });
      polygon.bindTooltip(function () { return describe(authority, m); }, { sticky: true });
      polygon.on("click", function () { window.location.href = authority.url; });
      polygon.on("mouseover", function () { showReadout(authority, m); });
      polygon.on("add", function () {
        var path = polygon.getElement();
        var stop = { path: path, code: shape.code, name: authority.name, url: authority.url };
        stops.push(stop);
        path.setAttribute("tabindex", "-1");
        path.setAttribute("role", "link");
        path.setAttribute("aria-label", describe(authority, m));
        path.setAttribute("data-code", shape.code);
        path.addEventListener("focus", function () {
          makeCurrent(stop);
          showReadout(authority, m);
          // Only for keyboard focus: moving the shape to the front during a mouse click
          // would re-insert it and lose the click.
          if (!path.matches(":focus-visible")) return;
          if (path.parentNode.lastChild !== path) {
            // Re-inserting the shape (to draw its ring above its neighbours) loses focus:
            // give it back, which runs this handler once more with the shape in front.
            polygon.bringToFront();
            path.focus({ preventScroll: true });
            return;
          }
          polygon.setStyle({ weight: 3, color: "#0b0c0c" });
          polygon.openTooltip(polygon.getCenter());
        });
        path.addEventListener("blur", function () {
          polygon.closeTooltip();
          polygon.setStyle({ weight: state.tier === "upper" ? 1 : 0.7, color: "#505a5f" });
        });
        // A mouse press must not focus the shape: focusing scrolls it into view, which
        // can move another council under the pointer before the click completes.
        path.addEventListener("mousedown", function (event) { event.preventDefault(); });
        path.addEventListener("keydown", function (event) { onKey(stop, event); });
      });
      polygon.addTo(layer);
      drawn += 1;
    });
    layer.addTo(map);
    stops.sort(function (a, b) { return a.name.localeCompare(b.name); });
    var keep = stops.filter(function (s) { return s.code === currentCode; })[0];
    if (stops.length) makeCurrent(keep || stops[0]);
    mapElement.setAttribute("data-shapes", String(drawn));
    mapElement.setAttribute("data-state", [state.year, state.tier, state.metric].join(" "));
  }

  function legend(figures) {
    var list = document.getElementById("map-legend");
    list.innerHTML = "";
    function item(colour, text) {
      var li = document.createElement("li");
      li.className = "cp-legend__item";
      var swatch = document.createElement("span");
      swatch.className = "cp-legend__swatch";
      swatch.style.background = colour;
      li.appendChild(swatch);
      li.appendChild(document.createTextNode(text));
      list.appendChild(li);
    }
    var entries = state.colour === "compared" ? config.comparisonLegend : figures.legends[state.tier][state.metric];
    entries.forEach(function (entry) { item(entry.colour, entry.text); });
    item(config.hatchCss, "Too few cases to compare (fewer than " + figures.threshold + "): no colour of its own");
    item(config.noData, "No investigations (nothing to measure)");
    var national = document.getElementById("map-national");
    if (national) national.textContent = "England: " + figures.national[state.metric];
  }

  function table(figures) {
    var m = metric();
    var body = document.querySelector("#figures-table tbody");
    var caption = document.querySelector("#figures-table caption");
    var codes = figures.tiers[state.tier].filter(kept).sort(function (a, b) {
      return figures.authorities[a].name.localeCompare(figures.authorities[b].name);
    });
    body.innerHTML = "";
    codes.forEach(function (code) {
      var a = figures.authorities[code];
      var tr = document.createElement("tr");
      tr.className = "govuk-table__row";
      var th = document.createElement("th");
      th.scope = "row";
      th.className = "govuk-table__header";
      var link = document.createElement("a");
      link.className = "govuk-link";
      link.href = a.url;
      link.textContent = a.name;
      th.appendChild(link);
      tr.appendChild(th);
      var value = a.values[state.metric], out = a.denominators[state.metric], few = a.small[state.metric];
      [[a.group, null, false], [value === null ? "–" : a.display[state.metric], value === null ? -1 : value, true, few],
       [out === null || out === undefined ? "–" : String(out), out === null || out === undefined ? -1 : out, true]]
        .forEach(function (cell) {
          var td = document.createElement("td");
          td.className = "govuk-table__cell" + (cell[2] ? " govuk-table__cell--numeric" : "");
          td.textContent = cell[0];
          if (cell[1] !== null) td.setAttribute("data-sort-value", cell[1]);
          if (cell[3]) {
            // Too few cases to rank: marked, and sorted last whichever way.
            td.setAttribute("data-sort-last", "");
            var note = document.createElement("span");
            note.className = "cp-meta";
            note.textContent = " too few";
            td.appendChild(note);
          }
          tr.appendChild(td);
        });
      body.appendChild(tr);
    });
    caption.textContent = m.label + ", " + state.year;
    document.getElementById("map-heading").textContent = m.label + ", " + state.year;
    if (window.cpResetSort) window.cpResetSort(document.getElementById("figures-table"));
  }

  function update(fit) {
    var shapesUrl = (config.shapes[state.year] || {})[state.tier];
    if (!shapesUrl) {
      mapElement.setAttribute("data-shapes", "0");
      return Promise.resolve();
    }
    mapElement.setAttribute("aria-busy", "true");
    return Promise.all([getJSON(shapesUrl), getJSON(config.figures[state.year])]).then(function (got) {
      var key = "decoded:" + shapesUrl;
      cache[key] = cache[key] || decode(got[0]);
      draw(cache[key], got[1]);
      legend(got[1]);
      table(got[1]);
      if (fit && layer.getLayers().length) map.fitBounds(layer.getBounds(), { padding: [8, 8] });
      mapElement.removeAttribute("aria-busy");
    });
  }

  // No keyboard panning: the container would be a second tab stop, and the arrow keys move
  // between councils instead.
  map = L.map(mapElement, {
    zoomSnap: 0.25, minZoom: 5, maxZoom: 12, preferCanvas: false, attributionControl: true,
    keyboard: false
  });
  mapElement.removeAttribute("tabindex");
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(
    "Boundaries: ONS, OGL v3.0; contains OS data © Crown copyright and database right");
  map.setView([52.9, -1.5], 6);

  var form = document.getElementById("map-controls");
  var button = document.getElementById("map-update");
  if (button) button.parentNode.style.display = "none"; // changes apply at once
  form.addEventListener("change", function (event) {
    // A new region or county asks the server which councils it holds: load the page again.
    if (event.target.hasAttribute("data-reload")) { form.submit(); return; }
    state.metric = form.elements.metric.value;
    state.colour = form.elements.colour.value;
    state.year = form.elements.year.value;
    var tierChanged = state.tier !== form.elements.tier.value;
    state.tier = form.elements.tier.value;
    var params = new URLSearchParams(window.location.search); // keeps the table's sort
    params.set("metric", state.metric);
    params.set("year", state.year);
    params.set("tier", state.tier);
    params.set("colour", state.colour);
    Object.keys(config.filter || {}).forEach(function (key) { params.set(key, config.filter[key]); });
    history.replaceState(null, "", "?" + params.toString());
    dataLinks();
    update(tierChanged);
  });
  // The map's CSV and SVG links follow the view shown (site.dataviews.map_chart).
  function dataLinks() {
    var box = document.getElementById("map-data-links");
    if (!box) return;
    Array.prototype.forEach.call(box.querySelectorAll("a"), function (a) {
      var format = a.getAttribute("href").split("?")[0].split(".").pop();
      a.setAttribute("href", "/map-data/" + state.year + "/map-" + state.tier + "-" + state.metric +
        "." + format + "?colour=" + encodeURIComponent(state.colour));
    });
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
  });
  update(true);
})();
