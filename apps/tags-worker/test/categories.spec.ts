import { COCO_PARENTS, parentOf } from '../src/categories';

// COCO's 80 classes as CenterNet names them (Human's `ObjectType`).
// prettier-ignore
const COCO_CLASSES = [
  'person', 'bicycle', 'car', 'motorcycle', 'airplane', 'bus', 'train', 'truck', 'boat',
  'traffic light', 'fire hydrant', 'stop sign', 'parking meter', 'bench', 'bird', 'cat', 'dog',
  'horse', 'sheep', 'cow', 'elephant', 'bear', 'zebra', 'giraffe', 'backpack', 'umbrella',
  'handbag', 'tie', 'suitcase', 'frisbee', 'skis', 'snowboard', 'sports ball', 'kite',
  'baseball bat', 'baseball glove', 'skateboard', 'surfboard', 'tennis racket', 'bottle',
  'wine glass', 'cup', 'fork', 'knife', 'spoon', 'bowl', 'banana', 'apple', 'sandwich', 'orange',
  'broccoli', 'carrot', 'hot dog', 'pizza', 'donut', 'cake', 'chair', 'couch', 'potted plant',
  'bed', 'dining table', 'toilet', 'tv', 'laptop', 'mouse', 'remote', 'keyboard', 'cell phone',
  'microwave', 'oven', 'toaster', 'sink', 'refrigerator', 'book', 'clock', 'vase', 'scissors',
  'teddy bear', 'hair drier', 'toothbrush',
];

describe('COCO parent categories', () => {
  it('gives every one of the 80 COCO classes a parent, and knows no other class', () => {
    expect(new Set(COCO_CLASSES).size).toBe(80);
    expect(Object.keys(COCO_PARENTS).sort()).toEqual([...COCO_CLASSES].sort());
  });

  it('names parents in lower case, distinct from the class itself', () => {
    for (const [child, parent] of Object.entries(COCO_PARENTS)) {
      expect(parent).toMatch(/^[a-z][a-z ]*$/);
      expect(parent).not.toBe(child);
    }
  });

  it.each([
    ['cat', 'animal'],
    ['dog', 'animal'],
    ['person', 'people'],
    ['motorcycle', 'vehicle'],
    ['cup', 'kitchenware'],
    ['pizza', 'food'],
    ['couch', 'furniture'],
    ['laptop', 'electronics'],
  ])('files %s under %s', (child, parent) => {
    expect(parentOf(child)).toBe(parent);
  });

  it('has no parent for a class outside COCO, even one named like an object property', () => {
    expect(parentOf('unicorn')).toBeUndefined();
    expect(parentOf('constructor')).toBeUndefined();
  });
});
