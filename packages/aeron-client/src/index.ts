// Public surface of @mm/aeron-client. Low-level protocol pieces (descriptors, flyweights, appenders) are exported
// too: the product's media driver (packages/aeron-driver) builds on them.
export * from './CncFileDescriptor.js';
export * as LogBufferDescriptor from './logbuffer/LogBufferDescriptor.js';
export { LogBuffers } from './logbuffer/LogBufferDescriptor.js';
export * from './protocol/DataHeaderFlyweight.js';
export { ControlProtocolEvents, ErrorCode, errorCodeName } from './command/ControlProtocolEvents.js';
export { Flyweight } from './command/Flyweight.js';
export * from './command/CorrelatedMessageFlyweight.js';
export * from './command/PublicationMessageFlyweight.js';
export * from './command/RemoveMessageFlyweight.js';
export * from './command/SubscriptionMessageFlyweight.js';
export * from './command/CounterMessageFlyweight.js';
export * from './command/TerminateDriverFlyweight.js';
export * from './command/ErrorResponseFlyweight.js';
export * from './command/PublicationBuffersReadyFlyweight.js';
export * from './command/ImageBuffersReadyFlyweight.js';
export * from './command/ImageMessageFlyweight.js';
export * from './command/OperationSucceededFlyweight.js';
export * from './command/SubscriptionReadyFlyweight.js';
export * from './command/CounterUpdateFlyweight.js';
export { Header } from './logbuffer/Header.js';
export { TermReader } from './logbuffer/TermReader.js';
export type { TermFragmentHandler } from './logbuffer/TermReader.js';
export { TermAppender, TERM_APPENDER_FAILED } from './logbuffer/TermAppender.js';
export { ExclusiveTermAppender } from './logbuffer/ExclusiveTermAppender.js';
export { BufferClaim } from './logbuffer/BufferClaim.js';
export { FragmentAssembler } from './FragmentAssembler.js';
export type { MessageFragmentHandler } from './FragmentAssembler.js';
