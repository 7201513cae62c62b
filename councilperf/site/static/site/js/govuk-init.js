/* Starts GOV.UK Frontend's components (a module script, loaded from the site). */
import { initAll } from "../dist/govuk-frontend.min.js";

initAll();
