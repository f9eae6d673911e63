import type { Staleness } from '@archon/plugin-archon-node';

/** How many distinct queries keep their last answer for when the cluster is unreachable. */
const MAX_LAST_ANSWERS = 100;

/** The errors that mean "the cluster did not answer" (503/504), as opposed to a bad request. */
const UNREACHABLE = ['ServiceUnavailableError', 'UpstreamTimeoutError'];

/**
 * The last answer per query of a Kafka listing (topics, consumer groups),
 * served again with its staleness (when it was taken) when the cluster is
 * unreachable or too slow (503/504) (#22). Without such an answer, or for any
 * other error, the error stands.
 */
export class LastAnswers<T> {
  readonly #answers = new Map<string, { answer: T; at: number }>();

  async answer(
    key: string,
    system: () => string,
    load: () => Promise<T>,
  ): Promise<{ answer: T; staleness?: Staleness }> {
    try {
      const answer = await load();
      this.#answers.delete(key);
      this.#answers.set(key, { answer, at: Date.now() });
      // Oldest first in a Map: keep the most recent queries only.
      if (this.#answers.size > MAX_LAST_ANSWERS)
        this.#answers.delete(this.#answers.keys().next().value!);
      return { answer };
    } catch (error) {
      const last = this.#answers.get(key);
      if (!last || !UNREACHABLE.includes((error as Error)?.name)) throw error;
      return {
        answer: last.answer,
        staleness: { system: system(), asOf: last.at },
      };
    }
  }
}
