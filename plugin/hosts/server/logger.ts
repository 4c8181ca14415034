/** Structured logs: one JSON object per line, so a cluster's log pipeline can index them without parsing prose. */
export type LogEntry = Record<string, string | number | boolean | undefined>;
export type Logger = (entry: LogEntry) => void;

export function jsonLineLogger(write: (line: string) => void): Logger {
  return (entry) => write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
}
