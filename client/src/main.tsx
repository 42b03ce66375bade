// First: zod must not compile validators with eval under the CSP (see zod-jitless.ts).
import "./zod-jitless.js";
import { QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router-dom";
import { App } from "./App.js";
import { createQueryClient } from "./lib/query.js";
import { registerServiceWorker } from "./pwa.js";
import { SessionProvider } from "./lib/session.js";
import "../../shared/zod-messages.js";
import "./styles.css";

const container = document.getElementById("root");
if (!container) throw new Error("Missing #root element in index.html");

const queryClient = createQueryClient();
registerServiceWorker();

createRoot(container).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <SessionProvider>
          <App />
        </SessionProvider>
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);
