/**
 * `neurotriage models install|activate|rollback|list --data DIR`: the installed model versions
 * of a data folder, offline (no service needed; safe while it runs: SQLite WAL, and a running
 * service reads the active version at each new job). `install` copies a model folder (card.json
 * + model.onnx, the card validated and the ONNX file checked against its sha256) to
 * `DIR/models/<task>/<card version>/` through a temporary folder and one rename; a version
 * already installed is refused. Every problem is one `UserInputError` line.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { UserInputError } from '../core/errors.js';
import { verifyModelFile } from '../models/model-files.js';
import type { Task } from '../pipeline/select-inputs.js';
import { ArtefactStore } from './artefact-store.js';
import { openDatabase } from './database.js';
import {
  MODEL_TASKS,
  MODELS_FOLDER,
  type ModelActivation,
  ModelRegistry,
  modelFolderOf,
} from './model-registry.js';

/** A version names a folder: letters, digits, `.`, `_`, `-`, at most 64, not starting with `.`. */
const VERSION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface ModelAdminOptions {
  readonly dataDir: string;
  /** Who runs the command (the history); default the operating-system user. */
  readonly by?: string;
}

function withRegistry<T>(options: ModelAdminOptions, use: (registry: ModelRegistry) => T): T {
  mkdirSync(options.dataDir, { recursive: true });
  const db = openDatabase(new ArtefactStore(options.dataDir).databasePath);
  try {
    return use(new ModelRegistry(db));
  } finally {
    db.close();
  }
}

const userOf = (options: ModelAdminOptions) => options.by ?? userInfo().username;

/** The versions installed for a task, sorted. */
export function installedVersions(dataDir: string, task: Task): string[] {
  const dir = join(dataDir, MODELS_FOLDER, task);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && VERSION_PATTERN.test(e.name))
    .map((e) => e.name)
    .sort();
}

export function parseTask(task: string): Task {
  const found = MODEL_TASKS.find((t) => t === task);
  if (!found) throw new UserInputError(`--task must be ich or infarct, got '${task}'`);
  return found;
}

/** Copies a model folder in as the version its card names; returns that version. */
export async function installModel(
  options: ModelAdminOptions & { readonly task: Task; readonly folder: string },
): Promise<string> {
  const { task } = options;
  const source = resolve(options.folder);
  const { card } = await verifyModelFile(join(source, 'card.json'), join(source, 'model.onnx'));
  if (card.task !== task)
    throw new UserInputError(`${source}: the card is a ${card.task} model, not ${task}`);
  if (!VERSION_PATTERN.test(card.version))
    throw new UserInputError(
      `${source}: card version '${card.version}' cannot name a folder (letters, digits, . _ -)`,
    );
  const target = join(options.dataDir, modelFolderOf(task, card.version));
  if (existsSync(target))
    throw new UserInputError(`${task} version ${card.version} is already installed`);
  const temporary = join(options.dataDir, MODELS_FOLDER, task, `.install-${process.pid}`);
  rmSync(temporary, { recursive: true, force: true });
  mkdirSync(temporary, { recursive: true });
  try {
    cpSync(join(source, 'card.json'), join(temporary, 'card.json'));
    cpSync(join(source, 'model.onnx'), join(temporary, 'model.onnx'));
    renameSync(temporary, target);
  } catch (e) {
    rmSync(temporary, { recursive: true, force: true });
    throw e;
  }
  return card.version;
}

export function activateModel(
  options: ModelAdminOptions & { readonly task: Task; readonly version: string },
): void {
  const { task, version } = options;
  if (!installedVersions(options.dataDir, task).includes(version))
    throw new UserInputError(
      `${task} version ${version} is not installed (installed: ${installedVersions(options.dataDir, task).join(', ') || 'none'})`,
    );
  withRegistry(options, (r) => r.activate({ task, version, by: userOf(options) }));
}

/** Back to the previously active version of a task; returns it. */
export function rollbackModel(options: ModelAdminOptions & { readonly task: Task }): string {
  return withRegistry(options, (r) => r.rollback({ task: options.task, by: userOf(options) }));
}

export interface ModelListing {
  readonly task: Task;
  readonly installed: readonly string[];
  /** undefined: the package's shipped model. */
  readonly active: string | undefined;
  readonly history: readonly ModelActivation[];
}

export function listModels(options: ModelAdminOptions): ModelListing[] {
  return withRegistry(options, (r) =>
    MODEL_TASKS.map((task) => ({
      task,
      installed: installedVersions(options.dataDir, task),
      active: r.active(task),
      history: r.history(task),
    })),
  );
}
