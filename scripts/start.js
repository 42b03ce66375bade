#!/usr/bin/env node
// `npm start`: runs the built server with the heap cap of bin/heap-cap.js (a roster import of a
// large district stays well under 1 GiB). Stopping this process stops the server gracefully.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runWithHeapCap } from "../bin/heap-cap.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.exitCode = await runWithHeapCap(path.join(root, "dist", "server", "main.js"), process.argv.slice(2));
