import { createHmac } from 'node:crypto';

/**
 * Thinking-block signatures bound to the platform that produced them, as on
 * the real platforms: a signature from Bedrock does not verify on Vertex. This
 * is what makes session stickiness matter in tests.
 */
export class ThinkingSigner {
  constructor(private readonly secret: string) {}

  sign(platform: string, thinking: string): string {
    const mac = createHmac('sha256', this.secret).update(`${platform}\n${thinking}`).digest('base64');
    return `Em${platform.slice(0, 2)}${mac}`;
  }

  verify(platform: string, thinking: string, signature: string): boolean {
    return this.sign(platform, thinking) === signature;
  }

  /**
   * Checks every thinking block the client sends back in assistant turns.
   * Returns the API's error message for the first bad one.
   */
  checkMessages(platform: string, messages: unknown): string | undefined {
    if (!Array.isArray(messages)) return undefined;
    for (const [messageIndex, message] of messages.entries()) {
      const record = message as { role?: unknown; content?: unknown } | null;
      if (record?.role !== 'assistant' || !Array.isArray(record.content)) continue;
      for (const [blockIndex, block] of record.content.entries()) {
        const thinking = block as { type?: unknown; thinking?: unknown; signature?: unknown } | null;
        if (thinking?.type !== 'thinking') continue;
        if (
          typeof thinking.signature !== 'string' ||
          !this.verify(platform, String(thinking.thinking ?? ''), thinking.signature)
        ) {
          return `messages.${messageIndex}.content.${blockIndex}: Invalid \`signature\` in \`thinking\` block`;
        }
      }
    }
    return undefined;
  }
}
