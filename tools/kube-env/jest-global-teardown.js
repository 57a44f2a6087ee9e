// Jest globalTeardown: stops the env started by jest-global-setup.js (SIGTERM, SIGKILL after 5 s) and removes its dir.
module.exports = async function kubeEnvGlobalTeardown() {
  const env = globalThis.__TRELLIS_KUBE_ENV__;
  if (!env) return;
  globalThis.__TRELLIS_KUBE_ENV__ = undefined;
  await env.stop();
  delete process.env.TRELLIS_KUBE_ENV;
  delete process.env.KUBECONFIG;
};
