// Collects a stream's bytes up to a cap, then keeps reading and discarding, so memory stays bounded
// however much a command writes.

export class CappedOutput {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  truncated = false;

  constructor(private readonly capBytes: number) {}

  push(chunk: Buffer): void {
    const room = this.capBytes - this.kept;
    if (room <= 0) {
      if (chunk.length > 0) this.truncated = true;
      return;
    }
    const piece = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (piece.length < chunk.length) this.truncated = true;
    // Copy so a retained slice never pins a large pooled buffer.
    this.chunks.push(Buffer.from(piece));
    this.kept += piece.length;
  }

  /** UTF-8 text without NUL characters. */
  text(): string {
    return Buffer.concat(this.chunks, this.kept).toString('utf8').replaceAll('\u0000', '');
  }
}
