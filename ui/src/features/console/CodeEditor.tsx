import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { PostgreSQL, sql } from "@codemirror/lang-sql";
import { bracketMatching, defaultHighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { Compartment, EditorState, Prec, type Extension } from "@codemirror/state";
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  keymap,
  lineNumbers,
  placeholder as placeholderText,
} from "@codemirror/view";
import { useEffect, useImperativeHandle, useRef, type Ref } from "react";

export interface CodeEditorHandle {
  /** The editor's current document (what Run runs, whatever typed it). */
  getText(): string;
  focus(): void;
}

export type EditorLanguage = "sql" | "plain";

const languageOf = (language: EditorLanguage): Extension => (language === "sql" ? sql({ dialect: PostgreSQL }) : []);

/**
 * A CodeMirror 6 editor. The document follows `value` (history, examples,
 * language switches) and reports edits through `onChange`; Ctrl/Cmd+Enter
 * calls `onRun` with the document. Its contenteditable takes typing from
 * people and WebDriver alike.
 */
export function CodeEditor({
  value,
  onChange,
  onRun,
  language,
  placeholder,
  label,
  testId,
  ref,
}: {
  value: string;
  onChange: (text: string) => void;
  onRun: (text: string) => void;
  language: EditorLanguage;
  placeholder: string;
  label: string;
  testId?: string;
  ref?: Ref<CodeEditorHandle>;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const compartments = useRef({ language: new Compartment(), placeholder: new Compartment() });
  // Latest callbacks, read by the editor's handlers (created once).
  const handlers = useRef({ onChange, onRun });
  handlers.current = { onChange, onRun };
  const initial = useRef({ value, language, placeholder, label });

  useEffect(() => {
    const { value: doc, language: lang, placeholder: hint, label: aria } = initial.current;
    const run = () => {
      handlers.current.onRun(view.current?.state.doc.toString() ?? "");
      return true;
    };
    const created = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc,
        extensions: [
          Prec.highest(keymap.of([{ key: "Mod-Enter", run, preventDefault: true }])),
          lineNumbers(),
          history(),
          drawSelection(),
          highlightActiveLine(),
          bracketMatching(),
          syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
          keymap.of([...defaultKeymap, ...historyKeymap]),
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({ "aria-label": aria, "aria-multiline": "true", "data-testid": "console-input" }),
          compartments.current.language.of(languageOf(lang)),
          compartments.current.placeholder.of(placeholderText(hint)),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) handlers.current.onChange(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = created;
    return () => {
      created.destroy();
      view.current = null;
    };
  }, []);

  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) {
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value }, selection: { anchor: value.length } });
    }
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({ effects: compartments.current.language.reconfigure(languageOf(language)) });
  }, [language]);

  useEffect(() => {
    view.current?.dispatch({ effects: compartments.current.placeholder.reconfigure(placeholderText(placeholder)) });
  }, [placeholder]);

  useImperativeHandle(
    ref,
    () => ({
      getText: () => view.current?.state.doc.toString() ?? "",
      focus: () => view.current?.focus(),
    }),
    [],
  );

  return <div className="code-editor" data-testid={testId} ref={host} />;
}
