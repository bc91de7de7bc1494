import { readFileSync } from "node:fs";
import { widgetFrom } from "./asset.js";

let cached: ReturnType<typeof widgetFrom> | undefined;

/** The widget script read from disk, once per process. */
export function widgetAsset() {
  return (cached ??= widgetFrom(readFileSync(new URL("./public/widget.js", import.meta.url), "utf8")));
}
