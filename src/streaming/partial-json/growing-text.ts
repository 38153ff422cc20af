/**
 * Text that grows by appended pieces and is joined only when read.
 *
 * Appending is O(piece). Reading folds only the text appended since the last
 * read into the cached text, so reading after every append costs one
 * concatenation: V8 makes a concatenation a rope node, not a copy, so growing
 * a string to N characters is O(N) overall, not O(N²), however often it is read.
 *
 * @example
 * const text = new GrowingText();
 * text.append('hel');
 * text.append('lo');
 * text.toString(); // 'hello'
 */
export class GrowingText {
  #joined = '';
  #pending = '';
  #length = 0;

  /** Characters held, read or not. */
  get length(): number {
    return this.#length;
  }

  /** Characters appended since the last read. */
  get pendingLength(): number {
    return this.#pending.length;
  }

  append(piece: string): void {
    this.#pending += piece;
    this.#length += piece.length;
  }

  clear(): void {
    this.#joined = '';
    this.#pending = '';
    this.#length = 0;
  }

  toString(): string {
    if (this.#pending.length > 0) {
      this.#joined += this.#pending;
      this.#pending = '';
    }
    return this.#joined;
  }
}
