import { Component, type ReactNode } from "react";
import type { GraphCanvasProps } from "./types";

/** Where there is no WebGL2 to draw with: the lists beside the canvas still work. */
export function NoWebGLCanvas(_props: GraphCanvasProps) {
  return (
    <p className="warning graph-canvas-message" data-testid="graph-no-webgl">
      This window has no WebGL2, so the graph cannot be drawn. Search, expansion, paths, breaches and the inspector still work.
    </p>
  );
}

/** A canvas that failed (a lost WebGL context, a renderer error) says so instead of taking the screen down. */
export class CanvasBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override render() {
    if (this.state.error) {
      return (
        <p className="error-message graph-canvas-message" role="alert" data-testid="graph-canvas-error">
          The canvas failed: {this.state.error.message}
        </p>
      );
    }
    return this.props.children;
  }
}
