/**
 * The whole call lab in one call: a private network namespace, a per-run CA, the call stack inside the namespace
 * (coturn with the production config, signaling harness, pages) and Debian's Chromium in the same namespace.
 * `stop()` removes everything, also after a partial start.
 */
import type { Browser } from 'playwright-core';
import { launchChromiumInNetns } from './browser';
import { startCallStack, type CallStack } from './call-stack';
import { createTestNetns, type TestNetns } from './netns';
import { createTestCa, type TestCa } from './test-ca';

export interface CallLab {
  readonly netns: TestNetns;
  readonly ca: TestCa;
  readonly stack: CallStack;
  readonly browser: Browser;
  stop(): Promise<void>;
}

export async function startCallLab(): Promise<CallLab> {
  const netns = createTestNetns();
  const steps: Array<() => Promise<void> | void> = [() => netns.destroy()];
  const stop = async () => {
    for (const step of steps.splice(0).reverse()) await Promise.resolve(step()).catch(() => undefined);
  };
  try {
    const ca = createTestCa(netns.relayIp);
    steps.push(() => ca.remove());
    const stack = await startCallStack(netns.name, {
      HRTC_RELAY_IP: netns.relayIp,
      HRTC_TLS_CERT: ca.certFile,
      HRTC_TLS_KEY: ca.keyFile,
    });
    steps.push(() => stack.stop());
    const browser = await launchChromiumInNetns(netns.name, ca.home, [netns.relayIp]);
    steps.push(() => browser.close());
    return { netns, ca, stack, browser, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
