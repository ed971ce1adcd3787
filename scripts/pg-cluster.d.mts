export function freePort(): Promise<number>;
export function findPgBin(): string | null;
export function startPostgres(settings?: Record<string, string | number>): Promise<{ url: string; stop(): void } | null>;
