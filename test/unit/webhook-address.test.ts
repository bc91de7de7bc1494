import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPrivateHost, isPublicAddress, PrivateAddressError } from "../../src/companies/webhook-address.js";
import { createWebhookAgent } from "../../src/companies/webhook-agent.js";

describe("webhook addresses", () => {
  it.each([
    ["127.0.0.1"],
    ["10.1.2.3"],
    ["172.16.0.1"],
    ["192.168.1.1"],
    ["169.254.169.254"],
    ["100.64.0.1"],
    ["0.0.0.0"],
    ["198.18.0.1"],
    ["198.19.255.254"],
    ["224.0.0.251"],
    ["239.255.255.250"],
    ["240.0.0.1"],
    ["255.255.255.255"],
    ["192.0.2.10"],
    ["203.0.113.5"],
    ["::1"],
    ["::"],
    ["fe80::1"],
    ["fd00::1"],
    ["ff02::1"],
    ["2001:db8::1"],
    ["100::1"],
    ["::ffff:127.0.0.1"],
    ["::ffff:a9fe:a9fe"],
    ["::ffff:0:7f00:1"],
    ["64:ff9b::7f00:1"],
    ["64:ff9b::a00:1"],
    ["64:ff9b:1::a00:1"],
    ["::7f00:1"],
    ["::127.0.0.1"],
    ["::a00:1"],
    ["2002:7f00:1::1"],
  ])("refuses %s", (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each([["8.8.8.8"], ["114.114.114.114"], ["2400:3200::1"], ["64:ff9b::808:808"], ["::ffff:8.8.8.8"]])("accepts the public address %s", (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it("judges URL hosts without looking names up: addresses, bracketed IPv6 and local names", () => {
    for (const host of ["[64:ff9b::7f00:1]", "[::7f00:1]", "198.18.0.1", "224.0.0.1", "localhost", "api.localhost", "[::ffff:7f00:1]"])
      expect(isPrivateHost(host), host).toBe(true);
    for (const host of ["hooks.example.cn", "8.8.8.8", "[2400:3200::1]"]) expect(isPrivateHost(host), host).toBe(false);
  });
});

describe("the webhook agent checks the address it dials", () => {
  let server: Server;
  let port: number;
  let hits = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => void (hits++, res.writeHead(200).end("ok")));
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((ok) => server.close(ok)));

  const counting = (answers: string[][]) => {
    const calls: string[] = [];
    return { calls, resolve: async (host: string) => (calls.push(host), answers[Math.min(calls.length - 1, answers.length - 1)]) };
  };
  const causeOf = async (p: Promise<unknown>) =>
    p.then(
      () => null,
      (err: Error) => (err instanceof PrivateAddressError ? err : ((err.cause as Error | undefined) ?? err)),
    );

  it("dials exactly the address the resolver answered when it connects, resolving once", async () => {
    const dns = counting([["127.0.0.1"]]);
    const agent = createWebhookAgent({ allowPrivate: true, resolve: dns.resolve });
    const before = hits;
    const res = await request(`http://hooks.example.test:${port}/hook`, { method: "POST", body: "{}", dispatcher: agent });
    await res.body.dump();
    expect(res.statusCode).toBe(200);
    expect(hits - before).toBe(1);
    expect(dns.calls).toEqual(["hooks.example.test"]);
    await agent.close();
  });

  it("refuses a name that answers loopback at connect time, even after answering a public address before", async () => {
    const dns = counting([["93.184.216.34"], ["127.0.0.1"]]);
    // The first answer goes to whoever checked earlier (the subscription); the connection gets the second.
    expect(await dns.resolve("hooks.example.test")).toEqual(["93.184.216.34"]);
    const agent = createWebhookAgent({ allowPrivate: false, resolve: dns.resolve });
    const before = hits;
    expect(await causeOf(request(`http://hooks.example.test:${port}/hook`, { method: "POST", body: "{}", dispatcher: agent }))).toBeInstanceOf(
      PrivateAddressError,
    );
    expect(hits).toBe(before);
    expect(dns.calls).toHaveLength(2);
    await agent.close();
  });

  it("refuses NAT64, IPv4-compatible and benchmarking addresses in the URL without connecting", async () => {
    const dns = counting([["8.8.8.8"]]);
    const agent = createWebhookAgent({ allowPrivate: false, resolve: dns.resolve });
    for (const host of ["[64:ff9b::7f00:1]", "[::7f00:1]", "198.18.0.1", "127.0.0.1"]) {
      expect(await causeOf(request(`http://${host}:${port}/hook`, { method: "POST", body: "{}", dispatcher: agent })), host).toBeInstanceOf(
        PrivateAddressError,
      );
    }
    expect(dns.calls).toEqual([]);
    await agent.close();
  });
});
