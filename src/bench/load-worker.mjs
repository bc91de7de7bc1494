// Runs autocannon on its own thread so the load generator does not share the
// server's event loop (it still shares the process and the machine). Off the
// main thread autocannon returns raw histograms; aggregateResult summarises them.
import { parentPort, workerData } from "node:worker_threads";
import autocannon from "autocannon";

const raw = await autocannon(workerData);
const result = autocannon.aggregateResult([raw], workerData);
parentPort.postMessage(JSON.parse(JSON.stringify(result)));
