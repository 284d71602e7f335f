// What the screen gives the canvas, and what it can ask of it. The canvas is a component of its
// own so that tests (jsdom has no WebGL) can put a stand-in in its place.
import type { Ref } from "react";
import type { GraphModel } from "../model/graphModel";

export type Selection = { kind: "node"; key: string } | { kind: "edge"; key: string };

export interface GraphCanvasHandle {
  /** The drawing as a PNG (every layer, on white). */
  toPng(): Promise<Blob>;
}

export interface GraphCanvasProps {
  model: GraphModel;
  selection: Selection | null;
  /** Centre the camera on this node (a new `seq` asks again for the same node). */
  focus: { key: string; seq: number } | null;
  onSelect: (selection: Selection | null) => void;
  /** A double-click on a node: expand it. */
  onExpand: (nodeKey: string) => void;
  ref?: Ref<GraphCanvasHandle>;
}
