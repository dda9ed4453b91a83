/** Results of `offer`/`tryClaim` (Aeron's values). A non-negative result is the new stream position. */
export const NOT_CONNECTED = -1;
export const BACK_PRESSURED = -2;
export const ADMIN_ACTION = -3;
export const CLOSED = -4;
export const MAX_POSITION_EXCEEDED = -5;
