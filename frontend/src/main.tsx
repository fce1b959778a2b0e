import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { wailsHistory, wailsHosts, wailsPending, wailsRules, wailsSecrets, wailsServers, wailsSettings } from "./api";
import { App } from "./App";
import "./style.css";

const root = document.getElementById("root");
if (!root) throw new Error("missing #root element");
createRoot(root).render(
  <StrictMode>
    <App
      pending={wailsPending}
      history={wailsHistory}
      servers={wailsServers}
      rules={wailsRules}
      settings={wailsSettings}
      hosts={wailsHosts}
      secrets={wailsSecrets}
    />
  </StrictMode>,
);
