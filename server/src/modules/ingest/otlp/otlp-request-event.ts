import type { RequestEvent } from '../dto/request-event';

/**
 * A request event from a GenAI span: the ingest contract's event, with the span's identity kept so scores sent later
 * by trace + span or by response id find it.
 */
export interface OtlpRequestEvent extends RequestEvent {
  /** 32 lowercase hex digits. */
  traceId: string;
  /** 16 lowercase hex digits. */
  spanId: string;
  /** The provider's `gen_ai.response.id`, or empty. */
  responseId: string;
}
