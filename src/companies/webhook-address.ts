/**
 * Which addresses a tenant's webhook may reach: public unicast only. A
 * webhook must not make the server call inside its own network — loopback,
 * private, link-local, shared (CGNAT), multicast, broadcast, benchmarking
 * (198.18.0.0/15), documentation and other reserved ranges — in any spelling:
 * an IPv4 address inside IPv6 (IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible
 * ::a.b.c.d, NAT64 64:ff9b::/96) is judged as the IPv4 address it carries.
 */
import ipaddr from "ipaddr.js";

/** The address a hostname names, without brackets; null when it is a name, not an address. */
export function literalAddress(hostname: string): string | null {
  const h = hostname.replace(/^\[|\]$/g, "");
  return ipaddr.isValid(h) && (h.includes(":") || ipaddr.IPv4.isValidFourPartDecimal(h)) ? h : null;
}

/** Whether a webhook may connect to this IP address. */
export function isPublicAddress(address: string): boolean {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.parse(address.replace(/^\[|\]$/g, ""));
  } catch {
    return false;
  }
  if (ip.kind() === "ipv4") return ip.range() === "unicast";
  const v6 = ip as ipaddr.IPv6;
  const parts = v6.parts;
  const carriesIpv4 =
    // ::ffff:a.b.c.d, ::ffff:0:a.b.c.d (SIIT), 64:ff9b::a.b.c.d (NAT64), ::a.b.c.d (IPv4-compatible, :: and ::1 included)
    ["ipv4Mapped", "rfc6145"].includes(v6.range()) ||
    (parts[0] === 0x64 && parts[1] === 0xff9b && parts.slice(2, 6).every((p) => p === 0)) ||
    parts.slice(0, 6).every((p) => p === 0);
  if (carriesIpv4) return isPublicAddress(ipaddr.fromByteArray(v6.toByteArray().slice(12)).toString());
  // Global unicast is 2000::/3; ipaddr.js calls anything it has no name for "unicast".
  return v6.range() === "unicast" && v6.match(ipaddr.IPv6.parse("2000::"), 3);
}

/** A URL host the server must not call: a local name, or an address that is not public. No DNS: names are checked where they are dialled. */
export function isPrivateHost(hostname: string): boolean {
  const h = hostname
    .replace(/^\[|\]$/g, "")
    .replace(/\.$/, "")
    .toLowerCase();
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  const address = literalAddress(h);
  return address !== null && !isPublicAddress(address);
}

/** Thrown where a connection to a non-public address is refused; the delivery log says only that. */
export class PrivateAddressError extends Error {
  constructor() {
    super("refused: the address is on a private network");
    this.name = "PrivateAddressError";
  }
}
