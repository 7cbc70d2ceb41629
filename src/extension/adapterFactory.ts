/**
 * Runs the debug adapter inside the extension host (no extra process): each session gets its own
 * InspectorSession, pointed at the extension's dist/ folder for the agents.
 */
import * as vscode from 'vscode';
import { InspectorSession } from '../adapter/session';

export class InlineAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(private readonly distDir: string) {}

  createDebugAdapterDescriptor(): vscode.DebugAdapterDescriptor {
    return new vscode.DebugAdapterInlineImplementation(new InspectorSession({ distDir: this.distDir }));
  }
}
