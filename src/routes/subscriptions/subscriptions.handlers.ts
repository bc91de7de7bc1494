import { tenantOf } from "../../access/middleware.js";
import type { AppRouteHandler } from "../../app-env.js";
import { deliveriesOf, listSubscriptions, notificationsOf, subscribe, unsubscribe } from "../../companies/subscriptions.js";
import type * as routes from "./subscriptions.routes.js";

export const create: AppRouteHandler<typeof routes.subscribeRoute> = async (c) => c.json(await subscribe(c.get("deps"), tenantOf(c), c.req.valid("json")), 201);

export const list: AppRouteHandler<typeof routes.listRoute> = async (c) => c.json({ items: await listSubscriptions(c.get("deps").db, tenantOf(c)) }, 200);

export const remove: AppRouteHandler<typeof routes.deleteRoute> = async (c) => {
  const { id } = c.req.valid("param");
  await unsubscribe(c.get("deps"), tenantOf(c), id);
  return c.json({ id, deleted: true as const }, 200);
};

export const deliveries: AppRouteHandler<typeof routes.deliveriesRoute> = async (c) =>
  c.json({ items: await deliveriesOf(c.get("deps"), tenantOf(c), c.req.valid("param").id) }, 200);

export const notifications: AppRouteHandler<typeof routes.notificationsRoute> = async (c) => {
  const items = await notificationsOf(c.get("deps"), tenantOf(c), c.req.valid("param").externalId, c.req.valid("query").after ?? 0);
  return c.json({ items: items.map((n) => ({ id: n.id, createdAt: n.createdAt, ...n.payload })) as never }, 200);
};
