/**
 * One real coturn on loopback with the production config (loopback-config.ts), its secrets written into its database
 * by the relay's own apply script before it starts, as on a relay. Shared by the tests that need a running server.
 */
import {
  COTURN_ROOT,
  CoturnProcess,
  freePorts,
  makeRunDir,
  removeRunDir,
  requireCoturnRoot,
  writeTestCertificate,
  type PortPlan,
  type RunDir,
} from '../../../tools/lab/coturn/coturn-process';
import { applySecretDocument } from '../../../tools/lab/coturn/secret-db';
import { loopbackConfig, TEST_OVERLAP_WINDOW_SECONDS, TEST_REALM, type LoopbackConfig } from './loopback-config';

export interface LoopbackCoturn {
  readonly dir: RunDir;
  readonly ports: PortPlan;
  readonly config: LoopbackConfig;
  readonly server: CoturnProcess;
  /** Writes a secret document into the running server's database, as the relay's sync timer does. */
  writeSecrets(document: unknown): void;
  /** Stops the server and removes its run directory (kept when KEEP_RUN is set, for debugging). */
  stop(): Promise<void>;
}

export async function startLoopbackCoturn(options: {
  /** The secret document the server starts with. */
  readonly secrets: unknown;
  /** The debootstrapped root to run coturn from. @default COTURN_ROOT (the pinned floor or newer) */
  readonly root?: string;
}): Promise<LoopbackCoturn> {
  const root = options.root ?? COTURN_ROOT;
  requireCoturnRoot(root);
  const dir = makeRunDir(root);
  const ports = await freePorts();
  const config = loopbackConfig(dir, ports, writeTestCertificate(dir));
  const writeSecrets = (document: unknown) =>
    applySecretDocument(config.userDbHost, TEST_REALM, TEST_OVERLAP_WINDOW_SECONDS, document);
  writeSecrets(options.secrets);
  const server = await CoturnProcess.start({
    dir,
    config: config.text,
    listeningPort: ports.listeningPort,
    logFileInRoot: config.logFileInRoot,
    root,
  });
  return {
    dir,
    ports,
    config,
    server,
    writeSecrets,
    stop: async () => {
      await server.stop();
      if (!process.env.KEEP_RUN) removeRunDir(dir);
    },
  };
}
