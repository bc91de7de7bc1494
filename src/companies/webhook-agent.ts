/**
 * The HTTP agent webhooks are sent with (Node only). The address is checked
 * where the socket is opened, on the very addresses the name resolved to and
 * that are then dialled: resolving once to check and again to connect would
 * let a name answer a public address first and an internal one next (DNS
 * rebinding).
 */
import type { LookupAddress, LookupOptions } from "node:dns";
import { lookup as dnsLookup } from "node:dns/promises";
import { isIP } from "node:net";
import { Agent, buildConnector, request } from "undici";
import { isPublicAddress, literalAddress, PrivateAddressError } from "./webhook-address.js";

export type Resolve = (hostname: string) => Promise<string[]>;

export const systemResolve: Resolve = async (hostname) => (await dnsLookup(hostname, { all: true })).map((a) => a.address);

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * An undici Agent that resolves each host once per connection with `resolve`,
 * refuses the connection unless every address is public (or `allowPrivate`),
 * and dials exactly the addresses it checked.
 */
export function createWebhookAgent(options: { allowPrivate: boolean; resolve?: Resolve }): Agent {
  const resolve = options.resolve ?? systemResolve;
  const lookup = (hostname: string, opts: LookupOptions, callback: LookupCallback) => {
    resolve(hostname).then(
      (found) => {
        const addresses = found.filter((a) => isIP(a) !== 0);
        if (addresses.length === 0) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }), []);
        if (!options.allowPrivate && !addresses.every(isPublicAddress)) return callback(new PrivateAddressError(), []);
        const family = (a: string) => isIP(a) as 4 | 6;
        const wanted = addresses.filter((a) => !opts.family || opts.family === family(a));
        const dial = wanted.length ? wanted : addresses;
        if (opts.all)
          return callback(
            null,
            dial.map((address) => ({ address, family: family(address) })),
          );
        return callback(null, dial[0], family(dial[0]));
      },
      (err: NodeJS.ErrnoException) => callback(err, []),
    );
  };
  const connect = buildConnector({ lookup: lookup as never });
  return new Agent({
    connect: (opts, callback) => {
      // An address in the URL is dialled as it is: Node looks nothing up for it.
      const address = literalAddress(opts.hostname);
      if (address && !options.allowPrivate && !isPublicAddress(address)) return callback(new PrivateAddressError(), null);
      connect(opts, callback);
    },
  });
}

/** One POST through the agent, following no redirect (a 3xx is an answer, not a hop); the response body is read and dropped. Returns the status. */
export async function postWebhook(agent: Agent, url: string, init: { headers: Record<string, string>; body: string; signal: AbortSignal }): Promise<number> {
  const res = await request(url, { method: "POST", dispatcher: agent, ...init });
  await res.body.dump();
  return res.statusCode;
}
