// Tests only; see test/.
export {};
