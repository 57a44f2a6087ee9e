// Jest globalSetup for Kubernetes integration tests: builds the app bundles (tools/test/global-setup.js, the
// preset's default), builds/caches the kube binaries if needed (progress on stderr, ~7 min the first time),
// then starts ONE etcd + kube-apiserver + kube-controller-manager for the whole jest run.
// Tests read:
//   process.env.KUBECONFIG        <dir>/kubeconfig (admin, static token, CA inline)
//   process.env.TRELLIS_KUBE_ENV  JSON { server, token, caFile, kubeconfig, dir, kubectl, version }
// Use: projectConfig(__dirname, { globalSetup: '<root>/tools/kube-env/jest-global-setup.js',
//                                 globalTeardown: '<root>/tools/kube-env/jest-global-teardown.js' })
// Env knobs: TRELLIS_KUBE_ENV_WITHOUT_KCM=1 skips the controller-manager.
const path = require('node:path');
const { pathToFileURL } = require('node:url');

module.exports = async function kubeEnvGlobalSetup(globalConfig, projectConfig) {
  await require(path.resolve(__dirname, '../test/global-setup.js'))(globalConfig, projectConfig);
  if (globalThis.__TRELLIS_KUBE_ENV__) return; // several projects in one jest run share one env
  const { startKubeEnv, KUBE_VERSION } = await import(pathToFileURL(path.join(__dirname, 'kube-env.mjs')).href);
  const env = await startKubeEnv({ withControllerManager: process.env.TRELLIS_KUBE_ENV_WITHOUT_KCM !== '1' });
  globalThis.__TRELLIS_KUBE_ENV__ = env;
  process.env.KUBECONFIG = env.kubeconfigPath;
  process.env.TRELLIS_KUBE_ENV = JSON.stringify({
    server: env.server,
    token: env.token,
    caFile: env.caFile,
    kubeconfig: env.kubeconfigPath,
    dir: env.dir,
    kubectl: env.kubectl ?? null,
    version: KUBE_VERSION,
  });
};
