// Builds the public site's front-end files into councilperf/site/static/site/dist/
// (ignored by git): our Sass compiled with GOV.UK Frontend and Leaflet's CSS from
// node_modules, plus the two vendor scripts we load. Run with `npm run build`.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../../..");
const modules = join(root, "node_modules");
const out = resolve(here, "../static/site/dist");

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "images"), { recursive: true });

const css = sass.compile(join(here, "site.scss"), {
  loadPaths: [modules],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "site.css"), css.css);

// Vendor files are copied as published (with their source maps), never edited or committed.
const copies = [
  ["leaflet/dist/leaflet.js", "leaflet.js"],
  ["leaflet/dist/leaflet.js.map", "leaflet.js.map"],
  ["leaflet/dist/images/layers.png", "images/layers.png"],
  ["leaflet/dist/images/layers-2x.png", "images/layers-2x.png"],
  ["leaflet/dist/images/marker-icon.png", "images/marker-icon.png"],
  ["govuk-frontend/dist/govuk/govuk-frontend.min.js", "govuk-frontend.min.js"],
  ["govuk-frontend/dist/govuk/govuk-frontend.min.js.map", "govuk-frontend.min.js.map"],
];
for (const [from, to] of copies) {
  cpSync(join(modules, from), join(out, to));
}
writeFileSync(join(out, ".gitignore"), "*\n");
console.log(`Front-end built into ${out}`);
