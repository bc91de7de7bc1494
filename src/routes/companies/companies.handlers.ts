import type { Context } from "hono";
import { tenantOf } from "../../access/middleware.js";
import type { AppEnv, AppRouteHandler } from "../../app-env.js";
import { deleteCompany, getCompany, getCompanyByFeedToken, profileHistory, type SavedCompany, saveCompany } from "../../companies/company-profiles.js";
import { calendarFeed } from "../../companies/ical.js";
import { companyCalendar } from "../../companies/matching.js";
import { AppError } from "../../lib/errors.js";
import type * as routes from "./companies.routes.js";

const calendarUrl = (c: Context<AppEnv>, company: SavedCompany) => `${new URL(c.req.url).origin}/calendar/${company.feedToken}.ics`;
const shape = (c: Context<AppEnv>, company: SavedCompany) => {
  const { feedToken: _, ...rest } = company;
  return { ...rest, calendarUrl: calendarUrl(c, company) };
};

export const save: AppRouteHandler<typeof routes.putRoute> = async (c) => {
  const deps = c.get("deps");
  const body = c.req.valid("json");
  const { company, created } = await saveCompany(
    deps.db,
    tenantOf(c),
    c.req.valid("param").externalId,
    { profile: body.profile, chatUpdates: body.chatUpdates },
    deps.clock.now(),
  );
  return c.json(shape(c, company), created ? 201 : 200);
};

export const get: AppRouteHandler<typeof routes.getRoute> = async (c) => {
  const { externalId } = c.req.valid("param");
  const db = c.get("deps").db;
  const company = await getCompany(db, tenantOf(c), externalId);
  if (!company) throw new AppError("not_found", `没有这家企业：${externalId}`);
  return c.json({ ...shape(c, company), history: await profileHistory(db, tenantOf(c), externalId) }, 200);
};

export const remove: AppRouteHandler<typeof routes.deleteRoute> = async (c) => {
  const { externalId } = c.req.valid("param");
  if (!(await deleteCompany(c.get("deps").db, tenantOf(c), externalId))) throw new AppError("not_found", `没有这家企业：${externalId}`);
  return c.json({ externalId, deleted: true as const }, 200);
};

export const calendar: AppRouteHandler<typeof routes.calendarRoute> = async (c) => {
  const deps = c.get("deps");
  const { externalId } = c.req.valid("param");
  const company = await getCompany(deps.db, tenantOf(c), externalId);
  if (!company) throw new AppError("not_found", `没有这家企业：${externalId}`);
  const entries = await companyCalendar(deps, company.profile);
  if (c.req.valid("query").format === "ics") return icsResponse(c, entries, company);
  return c.json({ externalId, calendarUrl: calendarUrl(c, company), entries }, 200);
};

export const feed: AppRouteHandler<typeof routes.feedRoute> = async (c) => {
  const deps = c.get("deps");
  const company = await getCompanyByFeedToken(deps.db, c.req.valid("param").token.replace(/\.ics$/, ""));
  if (!company) throw new AppError("not_found", "没有这个日历");
  return icsResponse(c, await companyCalendar(deps, company.profile), company);
};

function icsResponse(c: Context<AppEnv>, entries: Parameters<typeof calendarFeed>[0], company: SavedCompany) {
  const body = calendarFeed(entries, {
    name: `${company.profile.name ?? company.externalId} · 政策申报截止日`,
    origin: new URL(c.req.url).origin,
    companyKey: company.externalId,
  });
  return c.body(body, 200, { "content-type": "text/calendar; charset=utf-8", "cache-control": "private, max-age=3600" });
}
