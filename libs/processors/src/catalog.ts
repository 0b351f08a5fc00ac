/*
 * The processors: every kind of work done on each uploaded image, one queue and one worker
 * each. This list is the only one: the API's callback routes and secrets, the local fan-out,
 * the launcher, reprocess and redrive, the failures page, the web app's status line, the
 * CloudFormation template, packaging, the deploy, the bench and the fault suite all read it.
 * Add a processor with `npx nx g @gallery/tools:processor <name>`.
 *
 * Plain data with no imports, so that the workspace's scripts read it as it is (Node.js strips
 * the types); each result's schema is in results.ts.
 */

export interface LambdaSettings {
  /** The function's description in the console. */
  description: string;
  memoryMb: number;
  timeoutSeconds: number;
  /** Records per invocation; they run in parallel. */
  batchSize: number;
  /** How long the mapping may wait to fill a batch; 0 sends each record at once. */
  batchingWindowSeconds: number;
  /** Invocations at once on the queue (2 is the least SQS mappings allow). */
  maximumConcurrency: number;
  /** Key prefixes of the image bucket the worker writes and deletes under (originals: never). */
  writesPrefixes: readonly string[];
  /** Actions with no resource-level permissions it calls: they are granted on `*`. */
  resourcelessActions: readonly string[];
  /** The worker's own variables, each set from a template parameter of the stack. */
  variables?: readonly LambdaVariable[];
}

export interface LambdaVariable {
  /** The environment variable, e.g. `METADATA_KEEP_LOCATION`. */
  name: string;
  /** The template parameter that sets it, e.g. `MetadataKeepLocation`. */
  parameter: string;
  description: string;
  default: string;
  allowed: readonly string[];
}

export interface ProcessorEntry {
  /** Lower case, `a-z0-9-`: the status key, the secret's name, the log lines' `processor`. */
  name: string;
  /** The SQS queue (and local queue directory) fed by the topic. */
  queue: string;
  /** The Nx project of its worker, an app under `apps/`. */
  project: string;
  /** Its callback: `PUT /internal/images/:id/<route>`. */
  route: string;
  /** What the web app says while it works, and before the reason when it failed. */
  pendingText: string;
  failedText: string;
  /**
   * `json`: the result is stored as it came and returned in the image JSON under the
   * processor's name, with no API code of its own. `recorder`: the API has a recorder of its
   * own that keeps the result in its own tables (apps/api/src/internal/recorders.ts).
   */
  storage: 'json' | 'recorder';
  /** Its Lambda needs sharp: the function gets the sharp layer. */
  sharp: boolean;
  lambda: LambdaSettings;
}

export const CATALOG = [
  {
    name: 'thumbnail',
    queue: 'thumbnails',
    project: 'thumbnail-worker',
    route: 'thumbnails',
    pendingText: 'making thumbnail…',
    failedText: 'thumbnail failed',
    // Thumbnails rows, and the image's size and placeholder.
    storage: 'recorder',
    sharp: true,
    lambda: {
      description: 'image.uploaded → WebP thumbnails and a thumbhash → callback to the API',
      // 1769 MB is one full vCPU, which sharp's decode and resize use whole.
      memoryMb: 1769,
      timeoutSeconds: 30,
      // Records of a batch run in parallel: 4 big decodes fit one vCPU and the memory.
      batchSize: 4,
      // Thumbnails are awaited by the uploader: no batching delay.
      batchingWindowSeconds: 0,
      maximumConcurrency: 5,
      // Thumbnails of an image deleted while they were made are deleted again.
      writesPrefixes: ['thumbnails'],
      resourcelessActions: [],
    },
  },
  {
    name: 'tags',
    queue: 'tags',
    project: 'tags-worker',
    route: 'tags',
    pendingText: 'tagging…',
    failedText: 'tagging failed',
    // The tag index, shared with manual tags, for the filter.
    storage: 'recorder',
    sharp: true,
    lambda: {
      description: 'image.uploaded → Rekognition labels → callback to the API',
      // Mostly waiting on Rekognition; sharp only for renditions of non-JPEG/PNG originals.
      memoryMb: 1024,
      timeoutSeconds: 30,
      batchSize: 10,
      batchingWindowSeconds: 1,
      // Kept under Rekognition's DetectLabels quota (50 calls a second by default in the
      // largest regions, fewer in others: see Service Quotas). Records of a batch run in
      // parallel, so at most 2 invocations × 10 records = 20 calls are in flight; a call takes
      // 0.4 s or more, so at most 20 / 0.4 = 50 calls a second. 2 is the lowest value SQS
      // mappings allow; the SDK retries what is still throttled.
      maximumConcurrency: 2,
      writesPrefixes: [],
      // DetectLabels has no resource-level permissions.
      resourcelessActions: ['rekognition:DetectLabels'],
    },
  },
  {
    name: 'metadata',
    queue: 'metadata',
    project: 'metadata-worker',
    route: 'metadata',
    pendingText: 'reading metadata…',
    failedText: 'metadata failed',
    // Its result is stored as JSON and returned in the image JSON under its name.
    storage: 'json',
    sharp: false,
    lambda: {
      description:
        'image.uploaded → EXIF and XMP (camera, date, exposure, GPS) → callback to the API',
      // A file's head at most, parsed in JavaScript: little memory, little time.
      memoryMb: 512,
      timeoutSeconds: 30,
      batchSize: 5,
      batchingWindowSeconds: 0,
      maximumConcurrency: 2,
      writesPrefixes: [],
      resourcelessActions: [],
      variables: [
        {
          name: 'METADATA_KEEP_LOCATION',
          parameter: 'MetadataKeepLocation',
          description:
            'Whether the metadata keeps where a photo was taken (false drops GPS first).',
          default: 'true',
          allowed: ['true', 'false'],
        },
      ],
    },
  },
] as const satisfies readonly ProcessorEntry[];

export type ProcessorName = (typeof CATALOG)[number]['name'];

/** The names, in catalog order. */
export const PROCESSORS = CATALOG.map((entry) => entry.name) as ProcessorName[];
