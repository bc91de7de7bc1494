// Runs autocannon on its own thread so the load generator does not share the
// server's event loop (it still shares the process and the machine). Off the
// main thread autocannon returns raw histograms; aggregateResult summarises them.
//
// With `bodies`, every request autocannon builds takes the next body of the list,
// whichever connection sends it (autocannon cycles each connection through
// `requests` from the start, so a plain list would have every connection send the
// same bodies): no two requests share a body until the list runs out, and
// `bodiesUsed` says how many were built.
import { parentPort, workerData } from "node:worker_threads";
import autocannon from "autocannon";

const { bodies, template, ...options } = workerData;
let next = 0;
const requests = bodies ? [{ ...template, setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }) }] : workerData.requests;
const raw = await autocannon({ ...options, requests });
const result = autocannon.aggregateResult([raw], { ...options, requests });
parentPort.postMessage({ ...JSON.parse(JSON.stringify(result)), bodiesUsed: next });
