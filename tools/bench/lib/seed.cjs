// Images as the pipeline leaves them, written straight into the API's database (PGlite or
// PostgreSQL) while the API is stopped: uploading 100,000 would take hours. One transaction
// of set-based inserts, through `query(text, params)`, either database's client.
const { CATALOG } = require('../../scripts/catalog.cjs');

/** What the labeler finds, most frequent first: the seed draws them with a skew towards it. */
const LABELS = (
  'person,car,dog,cat,tree,sky,building,chair,cup,bottle,bird,beach,boat,bicycle,' +
  'motorcycle,bus,train,truck,traffic light,bench,horse,sheep,cow,elephant,bear,zebra,' +
  'giraffe,backpack,umbrella,handbag,tie,suitcase,frisbee,skis,snowboard,kite,surfboard,' +
  'wine glass,fork,knife,spoon,bowl,banana,apple,sandwich,orange,broccoli,carrot,pizza,' +
  'donut,cake,couch,potted plant,bed,dining table,toilet,tv,laptop,mouse,remote,keyboard,' +
  'cell phone,microwave,oven,sink,refrigerator,book,clock,vase,scissors,teddy bear,' +
  'hair drier,toothbrush'
).split(',');

/** The labeler files some classes under a parent category too (the tags worker's map). */
const PARENTS = {
  person: 'people',
  car: 'vehicle',
  bus: 'vehicle',
  boat: 'vehicle',
  bicycle: 'vehicle',
  dog: 'animal',
  cat: 'animal',
  bird: 'animal',
  horse: 'animal',
  pizza: 'food',
  cake: 'food',
  banana: 'food',
};

/** Names as people give them, and as cameras do (a third). */
const WHO = [
  'Grandma',
  'Grandpa',
  'Lucas',
  'Emma',
  'The kids',
  'Max the dog',
  'Anna and Tom',
  'Dad',
  'Mum',
  'Our team',
  'Sophie',
  'Noah',
  'Mia',
  'Élodie',
  'Jürgen',
  'Aunt Rosa',
  'Friends',
];
const WHAT = [
  'at the lake',
  'birthday',
  'hiking',
  'dinner',
  'on holiday',
  'at the beach',
  'skiing',
  'first day of school',
  'wedding',
  'in the garden',
  'sunset',
  'christmas morning',
  'picnic',
  'road trip',
  'concert',
  'graduation',
  'new house',
  'market',
  'museum',
  'sailing',
];
const WHERE = [
  'Québec',
  'Paris',
  'Zürich',
  'Lisbon',
  'Kyoto',
  'São Paulo',
  'Café de Flore',
  'Reykjavík',
  'Berlin',
  'New York',
  'Rome',
  'Barcelona',
  'Montréal',
  'Oslo',
  "Côte d'Azur",
  'Kraków',
  'Dublin',
  'Prague',
  'Vienna',
  'Seville',
  'Edinburgh',
  'Tromsø',
  'Málaga',
  'Nice',
];
const CAMERAS = [
  ['Canon', 'EOS R6'],
  ['Nikon', 'Z6 II'],
  ['Apple', 'iPhone 15 Pro'],
  ['Fujifilm', 'X-T5'],
  ['Sony', 'ILCE-7M4'],
  ['Google', 'Pixel 8'],
];

/** The search triggers, off while the seed writes and its words are made once at the end. */
const SEARCH_TRIGGERS = [
  ['images', 'images_search'],
  ['image_tags', 'image_tags_search'],
  ['processing', 'processing_search'],
];

const pick = (array) => `(${literalArray(array)})[1 + floor(random() * ${array.length})::int]`;
const literalArray = (array) =>
  `array[${array.map((item) => `'${item.replaceAll("'", "''")}'`).join(', ')}]`;

/**
 * `count` images: newest first a few still pending, about 1 in 100 with a failed processor
 * (and its reason), the rest with two thumbnails, a placeholder, up to three labels (a few
 * common, most rare) and their parent categories, half with a camera and a date taken, some
 * with a manual tag (`favourite` on 1 in 50, `fewTag` on `fewTagged` images).
 */
async function seedImages(query, count, { fewTag = 'wedding', fewTagged = 60 } = {}) {
  await query('begin');
  try {
    // The same images on every run and every database.
    await query('select setseed(0.42)');
    for (const [table, trigger] of SEARCH_TRIGGERS) {
      await query(`alter table ${table} disable trigger ${trigger}`);
    }
    await query(
      `create temporary table seeded on commit drop as
       select i, gen_random_uuid() as id from generate_series(1, $1::int) as i`,
      [count],
    );
    const owner = (await query(`select id from users order by created_at limit 1`)).rows[0].id;
    await query(
      `insert into images (id, name, content_type, size, width, height, placeholder, created_at, owner_id)
       select id,
         case when random() < 0.33
           then ${pick(['IMG_', 'DSC0', 'P10', 'GOPR'])} || lpad(floor(random() * 10000)::text, 4, '0')
           else ${pick(WHO)} || ' ' || ${pick(WHAT)} || ', ' || ${pick(WHERE)}
             || case when random() < 0.3 then ' ' || (2005 + floor(random() * 20))::text else '' end
         end,
         (array['image/jpeg', 'image/jpeg', 'image/png', 'image/webp'])[1 + i % 4],
         200000 + (i * 7919) % 8000000, 4000, 3000,
         case when i > 5 and i % 97 <> 0 then substr(md5(i::text), 1, 28) end,
         -- One upload every 37.5 s on average, some in the same millisecond as the last.
         date_trunc('milliseconds', now() - make_interval(secs => i * 37.5 - (i % 11 = 0)::int * 37.5)),
         $1
       from seeded`,
      [owner],
    );
    // Every processor of the catalog has reported on all but the 5 newest images; thumbnails
    // failed on 1 in 97, tags on 1 in 89, any other processor on 1 in 83.
    await query(
      `insert into processing (image_id, processor, event_id, status, error, result)
       select id, processor, gen_random_uuid(), status,
         case when status = 'failed' then 'the image could not be decoded' end,
         case when status <> 'done' then null
           when processor = 'metadata' and random() < 0.5 then jsonb_build_object(
             'make', camera[1], 'model', camera[2],
             'takenAt', to_char(now() - make_interval(days => floor(random() * 7000)::int),
               'YYYY-MM-DD"T"HH24:MI:SS'))
           else '{}'::jsonb end
       from seeded cross join lateral (
         select processor, case when i % (case processor when 'thumbnail' then 97
           when 'tags' then 89 else 83 end) = 0 then 'failed' else 'done' end as status,
           (${literalArray(CAMERAS.map((camera) => camera.join('|')))})[1 + i % ${CAMERAS.length}] as camera_text
         from unnest($1::text[]) as processor
       ) as reported cross join lateral (select string_to_array(camera_text, '|') as camera) as c
       where i > 5`,
      [CATALOG.map(({ name }) => name)],
    );
    // power(random(), 3) skews the draw towards the first labels: "person" on about half
    // the images, "toothbrush" on about 1 in 80.
    await query(
      `insert into image_tags (image_id, name, confidence, source)
       select image_id,
         ($1::text[])[1 + floor(array_length($1::text[], 1) * power(random(), 3))::int],
         0.4 + random() * 0.59, 'local-coco'
       from processing cross join generate_series(1, 3)
       where processor = 'tags' and status = 'done'
       on conflict do nothing`,
      [LABELS],
    );
    await query(
      `insert into image_tags (image_id, name, confidence, source)
       select image_id, parent.value, max(confidence), 'local-coco'
       from image_tags join json_each_text($1::json) as parent on parent.key = image_tags.name
       group by image_id, parent.value
       on conflict do nothing`,
      [JSON.stringify(PARENTS)],
    );
    await query(
      `insert into image_tags (image_id, name, confidence, source)
       select id, 'favourite', null, 'manual' from images where random() < 0.02`,
    );
    await query(
      `insert into image_tags (image_id, name, confidence, source)
       select id, $1, null, 'manual' from images order by random() limit $2`,
      [fewTag, fewTagged],
    );
    await query(
      `insert into thumbnails (image_id, width, height, format, key, size)
       select image_id, w, w * 3 / 4, 'webp', 'thumbnails/' || image_id || '/' || w || '.webp', w * 45
       from processing cross join unnest(array[256, 1280]) as w
       where processor = 'thumbnail' and status = 'done'`,
    );
    await query(`update images set search = image_search_words(id)`);
    for (const [table, trigger] of SEARCH_TRIGGERS) {
      await query(`alter table ${table} enable trigger ${trigger}`);
    }
    await query('commit');
  } catch (error) {
    await query('rollback');
    throw error;
  }
}

module.exports = { seedImages };
