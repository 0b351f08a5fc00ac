import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface RunningS3rver {
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts s3rver in a child process with OpenSSL's legacy provider (its continuation tokens
 * use DES), so the S3 suite pages through listings over 1,000 keys whatever flags Jest's
 * own process was started with.
 */
export async function startS3rver(directory: string, bucket: string): Promise<RunningS3rver> {
  const child = spawn(
    process.execPath,
    ['--openssl-legacy-provider', join(__dirname, 's3rver-process.cjs'), directory, bucket],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const lines = createInterface({ input: child.stdout });
  const exited = once(child, 'exit');
  const firstLine = await Promise.race([
    once(lines, 'line').then(([line]) => line as string),
    exited.then(([code]) => {
      throw new Error(`s3rver exited with ${String(code)} before listening: ${stderr}`);
    }),
  ]);
  lines.close();
  const { port } = JSON.parse(firstLine) as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
