import type { QueryLanguage } from "../../backend";
import { readSetting, writeSetting } from "../../lib/storage";

/** Statements kept per language. */
export const HISTORY_LIMIT = 50;

export const historyKey = (language: QueryLanguage) => `storelens.console.history.${language}`;

/** The language's past statements, newest first. */
export function readHistory(language: QueryLanguage): string[] {
  const raw = readSetting(historyKey(language));
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.filter((s): s is string => typeof s === "string").slice(0, HISTORY_LIMIT) : [];
  } catch {
    return [];
  }
}

/** `text` first, without an earlier copy of it, at most {@link HISTORY_LIMIT}; stored and returned. */
export function addToHistory(language: QueryLanguage, text: string): string[] {
  const statement = text.trim();
  const previous = readHistory(language);
  if (statement === "") return previous;
  const next = [statement, ...previous.filter((s) => s !== statement)].slice(0, HISTORY_LIMIT);
  writeSetting(historyKey(language), JSON.stringify(next));
  return next;
}

export function clearHistory(language: QueryLanguage): void {
  writeSetting(historyKey(language), null);
}
