import { z } from "zod";

// Imported first by main.tsx, before any schema exists. zod 4 compiles object validators with
// `new Function` (and probes for it), which the Content-Security-Policy (script-src 'self', no
// 'unsafe-eval') refuses and reports. Jitless validation is a little slower and needs no eval.
z.config({ jitless: true });
