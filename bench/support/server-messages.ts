/** What bench scripts and their spawned server (server-process.ts) say to each other over IPC. */
export type ServerRequest = { type: 'memory' } | { type: 'flush' } | { type: 'cpu' } | { type: 'stop' };

/** Server CPU spent on requests carrying each X-Bench-Tag, since the last ask (see server-process.ts). */
export type CpuTally = Record<string, { requests: number; microseconds: number }>;

export interface MemoryFigures {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

export type ServerReply =
  // `key`: a secret a peer of bench:peers made for the load to send (bench/peers/listen.ts).
  | { type: 'ready'; url: string; pid: number; key?: string }
  | { type: 'memory'; memory: MemoryFigures; keyCacheSize: number }
  | { type: 'flushed' }
  | { type: 'cpu'; tally: CpuTally }
  | { type: 'stopped' };
