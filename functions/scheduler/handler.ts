// The scheduler Lambda's composition root; filled in by the foundation work.
export const handler = async (): Promise<void> => {};
