import type { AppRouteHandler } from "../../app-env.js";
import type * as routes from "./metrics.routes.js";

export const render: AppRouteHandler<typeof routes.metricsRoute> = async (c) => {
  const { body, contentType } = await c.get("deps").metrics.render();
  return c.body(body, 200, { "content-type": contentType }) as never;
};
