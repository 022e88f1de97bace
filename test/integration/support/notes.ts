// Measurements and remarks the suite reports (printed by the runner after the results).
export const notes: string[] = [];

export function note(text: string): void {
  notes.push(text);
}
