/**
 * Caps on what one connection may send, so that no client can flood the server or starve the
 * others: a size per message, a rate per connection, and a limit on what the server will buffer
 * for a client that stops reading.
 */
import { RateLimiterMemory } from 'rate-limiter-flexible';

export interface SocketLimits {
  /** Largest message a client may send (bytes of its encoded packet). */
  readonly maxMessageBytes: number;
  /** Messages per second per connection, with bursts of up to twice that. */
  readonly messagesPerSecond: number;
  /** Refused messages within a second after which the connection is closed. */
  readonly floodDisconnectAfter: number;
  /** Bytes buffered for a client that does not read, after which it is disconnected. */
  readonly maxBufferedBytes: number;
}

export const DEFAULT_SOCKET_LIMITS: SocketLimits = {
  // Controls, shelter reports and injected events are small; 64 KiB leaves room for long texts.
  maxMessageBytes: 64 * 1024,
  messagesPerSecond: 20,
  floodDisconnectAfter: 200,
  // A night at 3600x is a few MB of messages; a client this far behind resyncs from a snapshot.
  maxBufferedBytes: 8 * 1024 * 1024,
};

/**
 * Packets larger than this are refused by the socket layer itself (the connection closes).
 * It sits well above `maxMessageBytes` so that an oversized message can still be read and
 * answered with a typed `payload_too_large`.
 */
export const TRANSPORT_MAX_BYTES = 1024 * 1024;

export function messageLimiter(limits: SocketLimits): RateLimiterMemory {
  return new RateLimiterMemory({ points: limits.messagesPerSecond * 2, duration: 2 });
}

export function floodCounter(limits: SocketLimits): RateLimiterMemory {
  return new RateLimiterMemory({ points: limits.floodDisconnectAfter, duration: 1 });
}
