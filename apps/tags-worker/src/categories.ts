import type { ObjectType } from '@vladmandic/human';

/**
 * The parent category of each of COCO's 80 classes, tagged alongside the class so that a
 * search for `animal` finds the cat. Typed by the model's own class list: a class without a
 * parent does not compile.
 */
export const COCO_PARENTS: Readonly<Record<ObjectType, string>> = {
  person: 'people',

  bicycle: 'vehicle',
  car: 'vehicle',
  motorcycle: 'vehicle',
  airplane: 'vehicle',
  bus: 'vehicle',
  train: 'vehicle',
  truck: 'vehicle',
  boat: 'vehicle',

  'traffic light': 'street',
  'fire hydrant': 'street',
  'stop sign': 'street',
  'parking meter': 'street',
  bench: 'furniture',

  bird: 'animal',
  cat: 'animal',
  dog: 'animal',
  horse: 'animal',
  sheep: 'animal',
  cow: 'animal',
  elephant: 'animal',
  bear: 'animal',
  zebra: 'animal',
  giraffe: 'animal',

  backpack: 'accessory',
  umbrella: 'accessory',
  handbag: 'accessory',
  tie: 'accessory',
  suitcase: 'accessory',

  frisbee: 'sport',
  skis: 'sport',
  snowboard: 'sport',
  'sports ball': 'sport',
  kite: 'sport',
  'baseball bat': 'sport',
  'baseball glove': 'sport',
  skateboard: 'sport',
  surfboard: 'sport',
  'tennis racket': 'sport',

  bottle: 'kitchenware',
  'wine glass': 'kitchenware',
  cup: 'kitchenware',
  fork: 'kitchenware',
  knife: 'kitchenware',
  spoon: 'kitchenware',
  bowl: 'kitchenware',

  banana: 'food',
  apple: 'food',
  sandwich: 'food',
  orange: 'food',
  broccoli: 'food',
  carrot: 'food',
  'hot dog': 'food',
  pizza: 'food',
  donut: 'food',
  cake: 'food',

  chair: 'furniture',
  couch: 'furniture',
  bed: 'furniture',
  'dining table': 'furniture',
  toilet: 'furniture',
  'potted plant': 'plant',

  tv: 'electronics',
  laptop: 'electronics',
  mouse: 'electronics',
  remote: 'electronics',
  keyboard: 'electronics',
  'cell phone': 'electronics',

  microwave: 'appliance',
  oven: 'appliance',
  toaster: 'appliance',
  sink: 'appliance',
  refrigerator: 'appliance',

  book: 'household',
  clock: 'household',
  vase: 'household',
  scissors: 'household',
  'hair drier': 'household',
  toothbrush: 'household',
  'teddy bear': 'toy',
};

/** The parent of a detected class, or undefined for a class this map does not know. */
export function parentOf(className: string): string | undefined {
  return Object.hasOwn(COCO_PARENTS, className) ? COCO_PARENTS[className as ObjectType] : undefined;
}
