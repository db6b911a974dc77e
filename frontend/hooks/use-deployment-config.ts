/**
 * GET /v1/config, asked once when the form appears: the model's languages and the limits to
 * show. `null` while it loads or when the gateway cannot say: the form then offers automatic
 * language detection only, which every deployment supports.
 */
import { useEffect, useState } from "react";
import { getConfig, type DeploymentConfig } from "@/lib/api";

export function useDeploymentConfig(): DeploymentConfig | null {
  const [config, setConfig] = useState<DeploymentConfig | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    getConfig(controller.signal).then(setConfig, () => setConfig(null));
    return () => controller.abort();
  }, []);
  return config;
}
