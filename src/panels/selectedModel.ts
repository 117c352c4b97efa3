// The model the Studio and the gauge show: read from disk as a header (a legacy trio is converted in memory).
import { basename } from 'node:path';
import type { GenerationModelRef } from '../generation/backend';
import { importLegacy } from '../model/legacy';
import { readLegacyTrio } from '../model/legacyFiles';
import { type ModelHeader, readModelHeader, writeModel } from '../model/modelFile';
import { isLegacyPath, readModelHeaderFile } from '../model/modelIo';
import { modelFileName } from '../model/displayName';

export interface SelectedModel {
  /** `name` is the file's name (model/displayName.ts): how the Studio, the gauge and errors name the model. */
  ref: GenerationModelRef;
  /** For display: workspace-relative when possible. */
  location: string;
  legacy: boolean;
  header: ModelHeader;
}

/** Reads the header of a model file or legacy trio; throws with the reader's message when it cannot. */
export async function readSelectedModel(path: string, location = basename(path)): Promise<SelectedModel> {
  const legacy = await isLegacyPath(path);
  const header = legacy ? readModelHeader(writeModel(importLegacy(await readLegacyTrio(path)))) : await readModelHeaderFile(path);
  return { ref: { name: modelFileName(path, legacy), path }, location, legacy, header };
}
