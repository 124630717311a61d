/**
 * The reference data an analysis needs, read from the data root (`../shared/data`): registration
 * templates, the template brain mask, the lobe and territory atlases. The shape matches the
 * pipeline's `ResourceLoader` (less `model`), which calls each at most once per process.
 */
import type { Volume } from '../core/volume.js';
import {
  type LoadedAtlas,
  type LoadedTerritoryAtlas,
  loadBrainMask,
  loadLobeAtlas,
  loadTerritoryAtlas,
} from './reference-data.js';
import {
  type RegistrationTemplateImage,
  type RegistrationTemplateKind,
  loadRegistrationTemplate,
} from './registration-templates.js';

export interface ReferenceLoader {
  registrationTemplate(kind: RegistrationTemplateKind): RegistrationTemplateImage;
  brainMask(): Volume;
  lobeAtlas(): LoadedAtlas;
  territoryAtlas(): LoadedTerritoryAtlas;
}

/** `root` is found when first needed (a missing data root is an error of the first use). */
export function referenceLoader(root: () => string): ReferenceLoader {
  return {
    registrationTemplate: (kind) => loadRegistrationTemplate(root(), kind),
    brainMask: () => loadBrainMask(root()),
    lobeAtlas: () => loadLobeAtlas(root()),
    territoryAtlas: () => loadTerritoryAtlas(root()),
  };
}
