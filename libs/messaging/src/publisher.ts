/** One event to fan out to every subscriber queue. */
export interface OutgoingMessage {
  /** The event's type, e.g. `image.uploaded`; sent as a message attribute. */
  type: string;
  /** The event, JSON. Subscribers receive exactly this body (raw message delivery). */
  body: string;
}

/** The publisher port: an SNS topic in production, file queues locally. */
export interface Publisher {
  /** Resolves once the message is durably accepted; rejects otherwise (the caller retries). */
  publish(message: OutgoingMessage): Promise<void>;
  /**
   * Resolves when messages could be published; rejects with a MessagingError saying why
   * otherwise. Cheap and publishes nothing, so a readiness probe may call it every second.
   */
  probe(): Promise<void>;
}
