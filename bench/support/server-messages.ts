/** What bench scripts and their spawned server (server-process.ts) say to each other over IPC. */
export type ServerRequest = { type: 'memory' } | { type: 'flush' } | { type: 'stop' };

export interface MemoryFigures {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

export type ServerReply =
  | { type: 'ready'; url: string; pid: number }
  | { type: 'memory'; memory: MemoryFigures; keyCacheSize: number }
  | { type: 'flushed' }
  | { type: 'stopped' };
