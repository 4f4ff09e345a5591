/**
 * Task tokens handed to `.waitForTaskToken` tasks. A token names the execution, the frame and the
 * attempt it answers, plus a random nonce, so SendTaskSuccess/Failure/Heartbeat find their task
 * without a lookup table; the engine accepts an answer only when the whole token matches the one
 * the waiting task was given.
 */
export interface TaskTokenParts {
  readonly executionArn: string;
  readonly frameId: number;
  readonly token: number;
  readonly nonce: string;
}

export function encodeTaskToken(p: TaskTokenParts): string {
  return Buffer.from(JSON.stringify([p.executionArn, p.frameId, p.token, p.nonce]), 'utf8').toString('base64url');
}

export function decodeTaskToken(text: string): TaskTokenParts | undefined {
  if (text.length === 0 || text.length > 2048 || !/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(v) || v.length !== 4) return undefined;
    const [executionArn, frameId, token, nonce] = v as unknown[];
    if (typeof executionArn !== 'string' || typeof nonce !== 'string' || !Number.isInteger(frameId) || !Number.isInteger(token)) return undefined;
    return { executionArn, frameId: frameId as number, token: token as number, nonce };
  } catch {
    return undefined;
  }
}
