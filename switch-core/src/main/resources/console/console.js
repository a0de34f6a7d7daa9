// Unicard operators' console. No build step, no framework, no network but this switch's /api.
// The bearer token lives in sessionStorage (this tab only); every call sends it.
(function () {
  'use strict';

  var TOKEN_KEY = 'unicard-token';
  var LANG_KEY = 'unicard-lang';

  var TEXT = {
    en: {
      'title': "Unicard operators' console", 'nav.card': 'Card', 'nav.live': 'Live', 'nav.changes': 'Changes', 'nav.settlement': 'Settlement',
      'logout': 'Sign out', 'login.title': 'Sign in',
      'login.help': 'Enter the operator token (UNICARD_API_TOKEN). It is kept in this browser tab only.',
      'login.token': 'Operator token', 'login.button': 'Sign in', 'login.wrong': 'Wrong token.', 'login.off': 'The operator API is off on this switch.',
      'login.unreachable': 'The switch does not answer.',
      'card.query': 'Card number (PAN) or national id (14 digits)', 'card.find': 'Find', 'card.card': 'Card', 'card.pan': 'Card number',
      'card.status': 'Status', 'card.role': 'Role', 'card.programs': 'Programs', 'card.expiry': 'Expiry (YYMM)', 'card.pinTries': 'Wrong PIN tries',
      'card.balances': 'Balances', 'card.household': 'Household', 'card.householdId': 'Household id', 'card.governorate': 'Governorate',
      'card.individuals': 'Ration / bread individuals', 'card.otherCards': 'Other cards of the household', 'card.recent': 'Recent transactions',
      'card.none': 'No transactions yet.', 'card.notFound': 'No card with that number.', 'card.badQuery': 'Type a card number (12 to 19 digits) or a national id (14 digits).',
      'card.choose': 'This citizen has several cards; choose one:', 'card.noCitizen': 'No card for that national id.', 'card.noOthers': 'None.',
      'tx.time': 'Time', 'tx.where': 'Where', 'tx.what': 'What', 'tx.answer': 'Answer', 'tx.code': 'Code', 'tx.operator': 'operator (hotline)',
      'action.lost': 'Block: lost', 'action.stolen': 'Block: stolen', 'action.damaged': 'Damaged', 'action.collect': 'Handed over (collect)',
      'action.pinReset': 'Reset PIN tries', 'action.done': 'Done: ', 'action.refused': 'Not done: ',
      'confirm.lost': 'Block card {pan} as LOST? Every transaction will be declined (41).',
      'confirm.stolen': 'Block card {pan} as STOLEN? Every transaction will be declined (43).',
      'confirm.damaged': 'Mark card {pan} as DAMAGED? Every transaction will be declined (62).',
      'confirm.collect': 'Record that card {pan} was handed to its holder?',
      'confirm.pinReset': 'Reset the wrong-PIN count of card {pan}?',
      'confirm.yes': 'Yes, do it', 'confirm.no': 'Cancel',
      'status.issued': 'issued (not yet handed over)', 'status.collected': 'active', 'status.blocked_lost': 'blocked: lost',
      'status.blocked_stolen': 'blocked: stolen', 'status.damaged': 'damaged', 'status.destroyed': 'destroyed (never collected)',
      'role.head': 'head of household', 'role.member': 'member',
      'program.ration': 'ration', 'program.bread': 'bread', 'program.health': 'health', 'program.wallet': 'wallet', 'program.cash': 'cash support',
      'bal.ration_piasters': 'Ration credit this month', 'bal.bread_loaves_left_today': 'Bread left today', 'bal.health_piasters': 'Health',
      'bal.wallet_piasters': 'Wallet', 'bal.cash_support_piasters': 'Cash support', 'unit.loaves': 'loaves', 'unit.egp': 'EGP',
      'live.rate': 'Requests/s', 'live.approved': 'Approved/s', 'live.declined': 'Declined/s', 'live.p50': 'p50 latency (ms)', 'live.p99': 'p99 latency (ms)',
      'live.ring': 'Ring occupancy', 'live.lag': 'Journal lag (records)', 'live.free': 'Journal disk free', 'live.connections': 'Connections',
      'live.total': 'Requests since start', 'live.chartRate': 'Requests per second', 'live.chartLatency': 'Latency (ms)',
      'live.chartRing': 'Ring occupancy and journal lag', 'live.governorates': 'By governorate (requests/s)', 'live.governorate': 'Governorate',
      'live.declinedShare': 'Declined', 'live.since': 'Since start', 'live.codes': 'Answers by code (per second)', 'live.meaning': 'Meaning',
      'live.stalled': 'No traffic for {s} s from: ', 'live.journalFailed': 'THE JOURNAL HAS FAILED: every request is answered 96. Restart the switch (operations guide §6).',
      'live.series.total': 'total', 'live.series.approved': 'approved', 'live.series.declined': 'declined', 'live.series.ring': 'ring', 'live.series.lag': 'journal lag',
      'changes.title': 'Upload a change batch', 'changes.help': 'One JSON object per line (spec §12). All lines are checked before any applies; a batch id is applied once.',
      'changes.batch': 'Batch id', 'changes.file': 'File', 'changes.paste': '…or paste the lines here', 'changes.upload': 'Upload',
      'changes.line': 'Line', 'changes.field': 'Field', 'changes.reason': 'Reason', 'changes.applied': 'Applied: {n} changes in batch {b}.',
      'changes.rejected': 'Nothing applied: {n} line(s) have errors.', 'changes.conflict': 'Batch id {b} was already applied with different content: nothing applied.',
      'changes.badId': 'A batch id is 1 to 64 characters of A–Z a–z 0–9 . _ -', 'changes.empty': 'Choose a file or paste the lines.',
      'changes.missing': 'This switch has no change endpoint (POST /api/changes).',
      'settle.title': 'Settlement of a day', 'settle.show': 'Show', 'settle.csv': 'Download CSV', 'settle.terminal': 'Terminal', 'settle.program': 'Program',
      'settle.unit': 'Unit', 'settle.purchases': 'Purchases', 'settle.returns': 'Returns', 'settle.reversals': 'Reversals', 'settle.net': 'Net',
      'settle.lines': '{n} lines, {r} journal records read.', 'settle.badDate': 'Choose a day.',
      'error.http': 'The switch answered {s}: '
    },
    ar: {
      'title': 'لوحة تشغيل يونيكارد', 'nav.card': 'البطاقة', 'nav.live': 'المتابعة الحية', 'nav.changes': 'التعديلات', 'nav.settlement': 'التسوية',
      'logout': 'خروج', 'login.title': 'تسجيل الدخول',
      'login.help': 'أدخل رمز المشغل (UNICARD_API_TOKEN). يُحفظ في هذا التبويب فقط.',
      'login.token': 'رمز المشغل', 'login.button': 'دخول', 'login.wrong': 'الرمز غير صحيح.', 'login.off': 'واجهة المشغل غير مفعلة على هذا المحوّل.',
      'login.unreachable': 'المحوّل لا يستجيب.',
      'card.query': 'رقم البطاقة أو الرقم القومي (١٤ رقمًا)', 'card.find': 'بحث', 'card.card': 'البطاقة', 'card.pan': 'رقم البطاقة',
      'card.status': 'الحالة', 'card.role': 'الصفة', 'card.programs': 'البرامج', 'card.expiry': 'تاريخ الانتهاء (سنة/شهر)', 'card.pinTries': 'محاولات الرقم السري الخاطئة',
      'card.balances': 'الأرصدة', 'card.household': 'الأسرة', 'card.householdId': 'رقم الأسرة', 'card.governorate': 'المحافظة',
      'card.individuals': 'أفراد التموين / الخبز', 'card.otherCards': 'بطاقات أخرى للأسرة', 'card.recent': 'آخر المعاملات',
      'card.none': 'لا توجد معاملات بعد.', 'card.notFound': 'لا توجد بطاقة بهذا الرقم.', 'card.badQuery': 'اكتب رقم بطاقة (١٢ إلى ١٩ رقمًا) أو رقمًا قوميًا (١٤ رقمًا).',
      'card.choose': 'لهذا المواطن أكثر من بطاقة؛ اختر واحدة:', 'card.noCitizen': 'لا توجد بطاقة لهذا الرقم القومي.', 'card.noOthers': 'لا يوجد.',
      'tx.time': 'الوقت', 'tx.where': 'المكان', 'tx.what': 'العملية', 'tx.answer': 'النتيجة', 'tx.code': 'الرمز', 'tx.operator': 'المشغل (الخط الساخن)',
      'action.lost': 'إيقاف: مفقودة', 'action.stolen': 'إيقاف: مسروقة', 'action.damaged': 'تالفة', 'action.collect': 'تم التسليم',
      'action.pinReset': 'إعادة ضبط الرقم السري', 'action.done': 'تم: ', 'action.refused': 'لم يتم: ',
      'confirm.lost': 'إيقاف البطاقة {pan} لفقدانها؟ ستُرفض كل المعاملات (41).',
      'confirm.stolen': 'إيقاف البطاقة {pan} لسرقتها؟ ستُرفض كل المعاملات (43).',
      'confirm.damaged': 'تسجيل البطاقة {pan} تالفة؟ ستُرفض كل المعاملات (62).',
      'confirm.collect': 'تسجيل تسليم البطاقة {pan} لصاحبها؟',
      'confirm.pinReset': 'إعادة ضبط محاولات الرقم السري للبطاقة {pan}؟',
      'confirm.yes': 'نعم، نفّذ', 'confirm.no': 'إلغاء',
      'status.issued': 'صادرة (لم تُسلَّم بعد)', 'status.collected': 'فعّالة', 'status.blocked_lost': 'موقوفة: مفقودة',
      'status.blocked_stolen': 'موقوفة: مسروقة', 'status.damaged': 'تالفة', 'status.destroyed': 'ملغاة (لم تُسلَّم)',
      'role.head': 'رب الأسرة', 'role.member': 'فرد',
      'program.ration': 'التموين', 'program.bread': 'الخبز', 'program.health': 'الصحة', 'program.wallet': 'المحفظة', 'program.cash': 'الدعم النقدي',
      'bal.ration_piasters': 'رصيد التموين هذا الشهر', 'bal.bread_loaves_left_today': 'الخبز المتبقي اليوم', 'bal.health_piasters': 'الصحة',
      'bal.wallet_piasters': 'المحفظة', 'bal.cash_support_piasters': 'الدعم النقدي', 'unit.loaves': 'رغيف', 'unit.egp': 'جنيه',
      'live.rate': 'طلب/ث', 'live.approved': 'مقبول/ث', 'live.declined': 'مرفوض/ث', 'live.p50': 'زمن الاستجابة p50 (مللي ث)', 'live.p99': 'زمن الاستجابة p99 (مللي ث)',
      'live.ring': 'إشغال الحلقة', 'live.lag': 'تأخر السجل (سجلات)', 'live.free': 'المساحة الحرة للسجل', 'live.connections': 'الاتصالات',
      'live.total': 'الطلبات منذ البدء', 'live.chartRate': 'الطلبات في الثانية', 'live.chartLatency': 'زمن الاستجابة (مللي ث)',
      'live.chartRing': 'إشغال الحلقة وتأخر السجل', 'live.governorates': 'حسب المحافظة (طلب/ث)', 'live.governorate': 'المحافظة',
      'live.declinedShare': 'المرفوض', 'live.since': 'منذ البدء', 'live.codes': 'النتائج حسب الرمز (في الثانية)', 'live.meaning': 'المعنى',
      'live.stalled': 'لا حركة منذ {s} ث من: ', 'live.journalFailed': 'تعطل السجل: كل الطلبات تُرفض بالرمز 96. أعد تشغيل المحوّل (دليل التشغيل §6).',
      'live.series.total': 'الكل', 'live.series.approved': 'مقبول', 'live.series.declined': 'مرفوض', 'live.series.ring': 'الحلقة', 'live.series.lag': 'تأخر السجل',
      'changes.title': 'رفع دفعة تعديلات', 'changes.help': 'كائن JSON في كل سطر (المواصفة §12). تُفحص كل الأسطر قبل تطبيق أي منها؛ كل دفعة تُطبق مرة واحدة.',
      'changes.batch': 'رقم الدفعة', 'changes.file': 'الملف', 'changes.paste': '…أو الصق الأسطر هنا', 'changes.upload': 'رفع',
      'changes.line': 'السطر', 'changes.field': 'الحقل', 'changes.reason': 'السبب', 'changes.applied': 'تم تطبيق {n} تعديلًا في الدفعة {b}.',
      'changes.rejected': 'لم يُطبق شيء: في {n} سطر أخطاء.', 'changes.conflict': 'الدفعة {b} طُبقت من قبل بمحتوى مختلف: لم يُطبق شيء.',
      'changes.badId': 'رقم الدفعة من ١ إلى ٦٤ حرفًا من A–Z a–z 0–9 . _ -', 'changes.empty': 'اختر ملفًا أو الصق الأسطر.',
      'changes.missing': 'هذا المحوّل لا يقبل التعديلات (POST /api/changes).',
      'settle.title': 'تسوية يوم', 'settle.show': 'عرض', 'settle.csv': 'تنزيل CSV', 'settle.terminal': 'الجهاز', 'settle.program': 'البرنامج',
      'settle.unit': 'الوحدة', 'settle.purchases': 'المشتريات', 'settle.returns': 'المرتجعات', 'settle.reversals': 'الإلغاءات', 'settle.net': 'الصافي',
      'settle.lines': '{n} سطر، قُرئ {r} سجل.', 'settle.badDate': 'اختر يومًا.',
      'error.http': 'رد المحوّل {s}: '
    }
  };

  var GOVERNORATES = {
    '00': ['no terminal', 'بدون جهاز'], '01': ['Cairo', 'القاهرة'], '02': ['Alexandria', 'الإسكندرية'], '03': ['Port Said', 'بورسعيد'],
    '04': ['Suez', 'السويس'], '11': ['Damietta', 'دمياط'], '12': ['Dakahlia', 'الدقهلية'], '13': ['Sharqia', 'الشرقية'],
    '14': ['Qalyubia', 'القليوبية'], '15': ['Kafr El Sheikh', 'كفر الشيخ'], '16': ['Gharbia', 'الغربية'], '17': ['Monufia', 'المنوفية'],
    '18': ['Beheira', 'البحيرة'], '19': ['Ismailia', 'الإسماعيلية'], '21': ['Giza', 'الجيزة'], '22': ['Beni Suef', 'بني سويف'],
    '23': ['Faiyum', 'الفيوم'], '24': ['Minya', 'المنيا'], '25': ['Asyut', 'أسيوط'], '26': ['Sohag', 'سوهاج'], '27': ['Qena', 'قنا'],
    '28': ['Aswan', 'أسوان'], '29': ['Luxor', 'الأقصر'], '31': ['Red Sea', 'البحر الأحمر'], '32': ['New Valley', 'الوادي الجديد'],
    '33': ['Matrouh', 'مطروح'], '34': ['North Sinai', 'شمال سيناء'], '35': ['South Sinai', 'جنوب سيناء'], '88': ['abroad', 'خارج الجمهورية']
  };

  var CODES = {
    '00': ['approved', 'مقبولة'], '03': ['unknown or inactive terminal', 'جهاز غير معروف'], '05': ['after its own reversal', 'بعد إلغائها'],
    '12': ['type not supported', 'نوع غير مدعوم'], '13': ['invalid amount', 'مبلغ غير صحيح'], '14': ['unknown card', 'بطاقة غير معروفة'],
    '25': ['original not found', 'الأصل غير موجود'], '30': ['format error', 'خطأ في الصيغة'], '41': ['card lost', 'بطاقة مفقودة'],
    '43': ['card stolen', 'بطاقة مسروقة'], '51': ['quota or balance used up', 'نفد الرصيد أو الحصة'], '54': ['card expired', 'بطاقة منتهية'],
    '55': ['wrong PIN', 'رقم سري خاطئ'], '57': ['program not held', 'برنامج غير مشترك'], '58': ['not allowed on terminal', 'غير مسموح على الجهاز'],
    '62': ['card not usable', 'بطاقة غير صالحة'], '63': ['MAC failed', 'فشل التحقق'], '75': ['PIN locked', 'الرقم السري موقوف'],
    '91': ['overloaded', 'النظام مشغول'], '94': ['duplicate', 'مكرر'], '96': ['internal error', 'خطأ داخلي']
  };

  var lang = sessionStorage.getItem(LANG_KEY) || 'en';
  var token = sessionStorage.getItem(TOKEN_KEY);
  var currentPan = null;
  var pendingAction = null;

  function $(id) { return document.getElementById(id); }
  function t(key, values) {
    var text = (TEXT[lang] && TEXT[lang][key]) || TEXT.en[key] || key;
    if (values) { Object.keys(values).forEach(function (k) { text = text.split('{' + k + '}').join(values[k]); }); }
    return text;
  }
  function ar() { return lang === 'ar'; }
  function masked(pan) { return pan.length < 11 ? pan : pan.slice(0, 6) + '*'.repeat(pan.length - 10) + pan.slice(-4); }
  function el(tag, text, cls) { var e = document.createElement(tag); if (text !== undefined && text !== null) { e.textContent = text; } if (cls) { e.className = cls; } return e; }
  function row(cells, cls) { var tr = el('tr', null, cls); cells.forEach(function (c) { var td = el('td'); if (c instanceof Node) { td.appendChild(c); } else { td.textContent = c; } tr.appendChild(td); }); return tr; }
  function fmt(n, digits) { return n === null || n === undefined || isNaN(n) ? '–' : Number(n).toLocaleString(ar() ? 'ar-EG' : 'en-GB', { maximumFractionDigits: digits === undefined ? 0 : digits, minimumFractionDigits: digits || 0 }); }
  function pounds(piasters) { return fmt(piasters / 100, 2) + ' ' + t('unit.egp'); }
  function bytes(n) { if (n === null || n === undefined || n < 0) { return '–'; } var units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']; var i = 0; while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; } return fmt(n, 1) + ' ' + units[i]; }

  // ---- language ----
  function applyLanguage() {
    document.documentElement.lang = lang;
    document.documentElement.dir = ar() ? 'rtl' : 'ltr';
    document.title = t('title');
    document.querySelectorAll('[data-i18n]').forEach(function (e) { e.textContent = t(e.getAttribute('data-i18n')); });
    document.querySelectorAll('[data-i18n-placeholder]').forEach(function (e) { e.placeholder = t(e.getAttribute('data-i18n-placeholder')); });
    $('lang').textContent = ar() ? 'English' : 'العربية';
    if (currentCard) { renderCard(); }
    if (lastSettlement) { renderSettlement(lastSettlement); }
    if (lastSample) { renderLiveTables(); }
  }
  $('lang').addEventListener('click', function () { lang = ar() ? 'en' : 'ar'; sessionStorage.setItem(LANG_KEY, lang); applyLanguage(); });

  // ---- API ----
  function api(method, path, body, accept) {
    var headers = { 'Authorization': 'Bearer ' + token };
    if (body !== undefined && body !== null) { headers['Content-Type'] = path.indexOf('/api/changes') === 0 ? 'application/x-ndjson' : 'application/json'; }
    return fetch(path, { method: method, headers: headers, body: body, cache: 'no-store' }).then(function (response) {
      if (response.status === 401) { signOut(t('login.wrong')); throw new Error('401'); }
      if (accept === 'raw') { return response; }
      return response.text().then(function (text) {
        var json = null;
        try { json = text ? JSON.parse(text) : null; } catch (e) { json = { error: text }; }
        return { status: response.status, json: json };
      });
    });
  }
  function httpError(result) { return t('error.http', { s: result.status }) + ((result.json && result.json.error) || ''); }

  // ---- sign in ----
  function signOut(message) {
    token = null;
    sessionStorage.removeItem(TOKEN_KEY);
    stopLive();
    document.querySelectorAll('.page').forEach(function (p) { p.hidden = true; });
    $('nav').hidden = true; $('logout').hidden = true; $('login').hidden = false;
    $('login-error').textContent = message || '';
  }
  function signedIn() {
    $('login').hidden = true; $('nav').hidden = false; $('logout').hidden = false;
    route();
  }
  $('login-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var candidate = $('token').value.trim();
    if (!candidate) { return; }
    fetch('/api/live', { headers: { 'Authorization': 'Bearer ' + candidate }, cache: 'no-store' }).then(function (response) {
      if (response.status === 200) {
        token = candidate; sessionStorage.setItem(TOKEN_KEY, token); $('token').value = ''; $('login-error').textContent = ''; signedIn();
      } else {
        $('login-error').textContent = response.status === 404 ? t('login.off') : t('login.wrong');
      }
    }, function () { $('login-error').textContent = t('login.unreachable'); });
  });
  $('logout').addEventListener('click', function () { signOut(''); });

  // ---- pages ----
  function route() {
    if (!token) { return; }
    var page = (location.hash || '#card').slice(1);
    if (['card', 'live', 'changes', 'settlement'].indexOf(page) < 0) { page = 'card'; }
    document.querySelectorAll('.page').forEach(function (p) { p.hidden = p.id !== 'page-' + page; });
    document.querySelectorAll('nav a').forEach(function (a) { a.classList.toggle('active', a.id === 'nav-' + page); });
    if (page === 'live') { startLive(); } else { stopLive(); }
    if (page === 'settlement' && !$('settle-date').value) { $('settle-date').value = new Date().toISOString().slice(0, 10); }
  }
  window.addEventListener('hashchange', route);

  // ---- card ----
  var currentCard = null;
  $('card-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var query = $('card-query').value.replace(/\s+/g, '');
    $('card-error').textContent = ''; $('card-choices').hidden = true;
    if (/^[0-9]{14}$/.test(query)) {
      api('GET', '/api/citizens/' + query + '/cards').then(function (result) {
        if (result.status === 404) { $('card-error').textContent = t('card.noCitizen'); return; }
        if (result.status !== 200) { $('card-error').textContent = httpError(result); return; }
        var cards = result.json.cards;
        if (cards.length === 1) { openCard(cards[0].pan); return; }
        var box = $('card-choices'); box.textContent = ''; box.appendChild(el('p', t('card.choose')));
        cards.forEach(function (card) {
          var b = el('button', masked(card.pan) + ' — ' + t('status.' + card.status) + ' — ' + t('role.' + card.role), 'choice');
          b.type = 'button'; b.addEventListener('click', function () { box.hidden = true; openCard(card.pan); });
          box.appendChild(b);
        });
        box.hidden = false;
      }).catch(function () {});
    } else if (/^[0-9]{12,19}$/.test(query)) {
      openCard(query);
    } else {
      $('card-error').textContent = t('card.badQuery');
    }
  });

  function openCard(pan) {
    currentPan = pan;
    $('action-result').textContent = '';
    Promise.all([api('GET', '/api/cards/' + pan + '/profile'), api('GET', '/api/cards/' + pan + '/transactions?limit=20')]).then(function (results) {
      var profile = results[0], history = results[1];
      if (profile.status === 404) { $('card-error').textContent = t('card.notFound'); $('card-view').hidden = true; currentCard = null; return; }
      if (profile.status !== 200) { $('card-error').textContent = httpError(profile); return; }
      currentCard = { pan: pan, profile: profile.json, transactions: history.status === 200 ? history.json.transactions : [] };
      renderCard();
      $('card-view').hidden = false;
    }).catch(function () {});
  }

  function statusBadge(node, status) {
    node.textContent = t('status.' + status);
    node.className = 'badge' + (status === 'collected' ? '' : status === 'issued' ? ' warn' : ' bad');
  }
  function programNames(programs) { return programs.split(';').filter(Boolean).map(function (p) { return t('program.' + p); }).join(ar() ? '، ' : ', '); }

  function renderCard() {
    var p = currentCard.profile;
    $('card-pan').textContent = currentCard.pan;
    statusBadge($('card-status'), p.status);
    $('card-role').textContent = t('role.' + p.role);
    $('card-programs').textContent = programNames(p.programs);
    $('card-expiry').textContent = p.expiry;
    $('card-pin-tries').textContent = fmt(p.pin_tries) + (p.pin_tries >= 3 ? ' ⚠' : '');
    var balances = $('card-balances'); balances.textContent = '';
    Object.keys(p.balances).forEach(function (name) {
      var value = p.balances[name];
      var tr = el('tr'); tr.appendChild(el('th', t('bal.' + name)));
      tr.appendChild(el('td', name.indexOf('loaves') >= 0 ? fmt(value) + ' ' + t('unit.loaves') : pounds(value)));
      balances.appendChild(tr);
    });
    var hh = p.household;
    $('hh-id').textContent = hh.household_id;
    $('hh-governorate').textContent = (GOVERNORATES[hh.governorate] || [hh.governorate, hh.governorate])[ar() ? 1 : 0];
    $('hh-individuals').textContent = fmt(hh.ration_individuals) + ' / ' + fmt(hh.bread_individuals);
    var others = $('hh-cards').tBodies[0]; others.textContent = '';
    if (!hh.other_cards.length) { others.appendChild(row([t('card.noOthers'), '', ''])); }
    hh.other_cards.forEach(function (card) {
      var badge = el('span'); statusBadge(badge, card.status);
      others.appendChild(row([el('span', card.pan), t('role.' + card.role), badge]));
    });
    var body = $('card-transactions').tBodies[0]; body.textContent = '';
    if (!currentCard.transactions.length) { body.appendChild(row([t('card.none'), '', '', '', ''])); }
    currentCard.transactions.forEach(function (tx) {
      var when = tx.time.replace('T', ' ').slice(0, 19);
      var where = tx.source === 'operator' ? t('tx.operator') : (tx.terminal_name ? tx.terminal_name + ' (' + tx.terminal + ')' : tx.terminal);
      var answer = el('span', ar() ? tx.answer_ar : tx.answer_en, tx.response_code === '00' ? 'approved' : 'declined');
      body.appendChild(row([el('span', when), where, ar() ? tx.what_ar : tx.what_en, answer, tx.response_code]));
    });
  }

  var ACTIONS = {
    'block-lost': ['lost', '/block', '{"reason":"lost"}'], 'block-stolen': ['stolen', '/block', '{"reason":"stolen"}'],
    'block-damaged': ['damaged', '/block', '{"reason":"damaged"}'], 'collect': ['collect', '/collect', null], 'pin-reset': ['pinReset', '/pin-reset', null]
  };
  Object.keys(ACTIONS).forEach(function (id) {
    $(id).addEventListener('click', function () {
      if (!currentPan) { return; }
      pendingAction = id;
      $('confirm-text').textContent = t('confirm.' + ACTIONS[id][0], { pan: currentPan });
      $('confirm').hidden = false;
      $('confirm-no').focus();
    });
  });
  $('confirm-no').addEventListener('click', function () { pendingAction = null; $('confirm').hidden = true; });
  $('confirm-yes').addEventListener('click', function () {
    var action = ACTIONS[pendingAction]; var pan = currentPan; var label = t('action.' + action[0]);
    $('confirm').hidden = true; pendingAction = null;
    api('POST', '/api/cards/' + pan + action[1], action[2]).then(function (result) {
      $('action-result').textContent = (result.status === 200 ? t('action.done') : t('action.refused') + httpError(result) + ' — ') + label;
      $('action-result').className = result.status === 200 ? 'approved' : 'declined';
      openCard(pan);
    }).catch(function () {});
  });

  // ---- live ----
  var liveTimer = null, lastSample = null, charts = null, history = null;
  var governorateRates = {}, codeRates = {}, lastActive = {};
  var POINTS = 120;

  function sumBy(series, name, label, filter) {
    var out = {};
    series.forEach(function (s) {
      if (s.name !== name || (filter && !filter(s.labels))) { return; }
      var key = label ? s.labels[label] : '';
      out[key] = (out[key] || 0) + (s.value || 0);
    });
    return out;
  }
  function one(series, name) { var v = sumBy(series, name)['']; return v === undefined ? null : v; }

  function quantile(buckets, q) {
    // buckets: [{le, count}] cumulative over the interval; linear within a bucket, in ms.
    var total = buckets.length ? buckets[buckets.length - 1].count : 0;
    if (total <= 0) { return null; }
    var target = q * total, lower = 0, lowerCount = 0;
    for (var i = 0; i < buckets.length; i++) {
      var b = buckets[i];
      if (b.count >= target) {
        if (!isFinite(b.le)) { return lower * 1000; }
        var inBucket = b.count - lowerCount;
        var share = inBucket > 0 ? (target - lowerCount) / inBucket : 1;
        return (lower + (b.le - lower) * share) * 1000;
      }
      lower = isFinite(b.le) ? b.le : lower; lowerCount = b.count;
    }
    return null;
  }

  function makeCharts() {
    if (typeof uPlot === 'undefined') { return null; }
    var width = Math.max(320, Math.min(640, $('chart-rate').clientWidth || 420));
    function chart(id, labels, colors) {
      var series = [{}].concat(labels.map(function (label, i) { return { label: t(label), stroke: colors[i], width: 2 }; }));
      var data = [[]].concat(labels.map(function () { return []; }));
      return new uPlot({ width: width, height: 200, series: series, axes: [{}, {}], scales: { x: { time: true } } }, data, $(id));
    }
    return {
      rate: chart('chart-rate', ['live.series.total', 'live.series.approved', 'live.series.declined'], ['#12324a', '#0b6e4f', '#b3261e']),
      latency: chart('chart-latency', ['live.p50', 'live.p99'], ['#0b6e4f', '#9a6700']),
      ring: chart('chart-ring', ['live.series.ring', 'live.series.lag'], ['#12324a', '#b3261e'])
    };
  }

  function startLive() {
    if (liveTimer) { return; }
    if (!charts) { charts = makeCharts(); history = { t: [], total: [], approved: [], declined: [], p50: [], p99: [], ring: [], lag: [] }; }
    poll();
    liveTimer = setInterval(poll, 1000);
  }
  function stopLive() { if (liveTimer) { clearInterval(liveTimer); liveTimer = null; } }

  function poll() {
    api('GET', '/api/live').then(function (result) {
      if (result.status !== 200) { $('live-alert').textContent = httpError(result); return; }
      sample(result.json);
    }).catch(function () {});
  }

  function sample(json) {
    var series = json.series;
    var now = { time: json.time_ms / 1000 };
    now.byCode = sumBy(series, 'unicard_requests_total', 'response_code');
    now.total = Object.keys(now.byCode).reduce(function (a, k) { return a + now.byCode[k]; }, 0);
    now.approved = now.byCode['00'] || 0;
    now.byGovernorate = sumBy(series, 'unicard_requests_by_governorate_total', 'governorate');
    now.declinedByGovernorate = sumBy(series, 'unicard_requests_by_governorate_total', 'governorate', function (l) { return l.outcome === 'declined'; });
    now.buckets = series.filter(function (s) { return s.name === 'unicard_requests_answered_within_seconds'; })
      .map(function (s) { return { le: s.labels.le === '+Inf' ? Infinity : parseFloat(s.labels.le), count: s.value }; })
      .sort(function (a, b) { return a.le - b.le; });
    now.ring = one(series, 'unicard_ring_occupancy');
    now.lag = one(series, 'unicard_journal_lag_records');
    now.free = one(series, 'unicard_journal_free_bytes');
    now.reserve = one(series, 'unicard_journal_min_free_bytes');
    now.failed = one(series, 'unicard_journal_failed');
    now.connections = one(series, 'unicard_connections');
    var previous = lastSample;
    lastSample = now;
    var rate = null, approved = null, declined = null, p50 = null, p99 = null;
    if (previous && now.time > previous.time) {
      var dt = now.time - previous.time;
      rate = (now.total - previous.total) / dt;
      approved = (now.approved - previous.approved) / dt;
      declined = rate - approved;
      var interval = now.buckets.map(function (b, i) { return { le: b.le, count: b.count - ((previous.buckets[i] || {}).count || 0) }; });
      p50 = quantile(interval, 0.5); p99 = quantile(interval, 0.99);
      governorateRates = {}; codeRates = {};
      Object.keys(now.byGovernorate).forEach(function (g) {
        governorateRates[g] = (now.byGovernorate[g] - (previous.byGovernorate[g] || 0)) / dt;
        if (governorateRates[g] > 0) { lastActive[g] = now.time; }
        if (lastActive[g] === undefined) { lastActive[g] = now.time; }
      });
      Object.keys(now.byCode).forEach(function (c) { codeRates[c] = (now.byCode[c] - (previous.byCode[c] || 0)) / dt; });
    }
    $('live-rate').textContent = fmt(rate, 1);
    $('live-approved').textContent = fmt(approved, 1);
    $('live-declined').textContent = fmt(declined, 1);
    $('live-p50').textContent = fmt(p50, 3);
    $('live-p99').textContent = fmt(p99, 3);
    $('live-ring').textContent = fmt(now.ring);
    $('live-lag').textContent = fmt(now.lag);
    $('live-free').textContent = bytes(now.free);
    $('live-connections').textContent = fmt(now.connections);
    $('live-total').textContent = fmt(now.total);
    renderLiveTables();
    if (charts && rate !== null) {
      var h = history;
      h.t.push(now.time); h.total.push(rate); h.approved.push(approved); h.declined.push(declined);
      h.p50.push(p50); h.p99.push(p99); h.ring.push(now.ring); h.lag.push(now.lag);
      Object.keys(h).forEach(function (k) { if (h[k].length > POINTS) { h[k].shift(); } });
      charts.rate.setData([h.t, h.total, h.approved, h.declined]);
      charts.latency.setData([h.t, h.p50, h.p99]);
      charts.ring.setData([h.t, h.ring, h.lag]);
    }
  }

  var STALL_SECONDS = 10;
  function renderLiveTables() {
    var now = lastSample; if (!now) { return; }
    var alerts = [];
    if (now.failed === 1) { alerts.push(t('live.journalFailed')); }
    var body = $('live-governorates').tBodies[0]; body.textContent = '';
    var stalled = [];
    Object.keys(now.byGovernorate).sort().forEach(function (g) {
      var name = (GOVERNORATES[g] || [g, g])[ar() ? 1 : 0];
      var isStalled = g !== '00' && lastActive[g] !== undefined && now.time - lastActive[g] >= STALL_SECONDS;
      if (isStalled) { stalled.push(name); }
      var total = now.byGovernorate[g];
      var share = total > 0 ? (100 * (now.declinedByGovernorate[g] || 0) / total) : 0;
      body.appendChild(row([name, fmt(governorateRates[g], 1), fmt(share, 1) + ' %', fmt(total)], isStalled ? 'stalled' : ''));
    });
    if (stalled.length) { alerts.push(t('live.stalled', { s: STALL_SECONDS }) + stalled.join(ar() ? '، ' : ', ')); }
    $('live-alert').textContent = alerts.join(' — ');
    var codes = $('live-codes').tBodies[0]; codes.textContent = '';
    Object.keys(now.byCode).sort().forEach(function (c) {
      codes.appendChild(row([c, (CODES[c] || [c, c])[ar() ? 1 : 0], fmt(codeRates[c], 1), fmt(now.byCode[c])], c === '00' ? '' : ''));
    });
  }

  // ---- changes ----
  $('changes-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var batch = $('changes-batch').value.trim();
    var result = $('changes-result'); var errors = $('changes-errors');
    errors.hidden = true; errors.tBodies[0].textContent = ''; result.className = '';
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(batch)) { result.textContent = t('changes.badId'); result.className = 'declined'; return; }
    var file = $('changes-file').files[0];
    var read = file ? file.text() : Promise.resolve($('changes-text').value);
    read.then(function (text) {
      if (!text.trim()) { result.textContent = t('changes.empty'); result.className = 'declined'; return; }
      return api('POST', '/api/changes?batch=' + encodeURIComponent(batch), text).then(function (answer) {
        var json = answer.json || {};
        if (answer.status === 200) {
          result.textContent = t('changes.applied', { n: json.applied, b: json.batch }); result.className = 'approved';
        } else if (answer.status === 422 && json.errors) {
          result.textContent = t('changes.rejected', { n: new Set(json.errors.map(function (e) { return e.line; })).size }); result.className = 'declined';
          json.errors.forEach(function (e) { errors.tBodies[0].appendChild(row([String(e.line), e.field || '', e.reason || ''])); });
          errors.hidden = false;
        } else if (answer.status === 409) {
          result.textContent = t('changes.conflict', { b: batch }); result.className = 'declined';
        } else if (answer.status === 404) {
          result.textContent = t('changes.missing') + ' ' + ((json && json.error) || ''); result.className = 'declined';
        } else {
          result.textContent = httpError(answer); result.className = 'declined';
        }
      });
    }).catch(function () {});
  });

  // ---- settlement ----
  var lastSettlement = null;
  function renderSettlement(json) {
    var body = $('settle-lines').tBodies[0]; body.textContent = '';
    json.lines.forEach(function (line) {
      var money = line.unit !== 'loaves';
      function amount(v) { return money ? pounds(v) : fmt(v) + ' ' + t('unit.loaves'); }
      var program = { 'cash support': 'cash' }[line.program] || line.program;
      body.appendChild(row([el('span', line.terminal_id + (line.acquirer_id ? ' / ' + line.acquirer_id : '')), t('program.' + program),
        money ? t('unit.egp') : t('unit.loaves'), fmt(line.purchases_count) + ' · ' + amount(line.purchases_total),
        fmt(line.returns_count) + ' · ' + amount(line.returns_total), fmt(line.reversals_count) + ' · ' + amount(line.reversals_total),
        amount(line.net_total)]));
    });
    $('settle-result').textContent = t('settle.lines', { n: fmt(json.lines.length), r: fmt(json.records_read) });
  }
  $('settle-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var date = $('settle-date').value;
    if (!date) { $('settle-result').textContent = t('settle.badDate'); return; }
    api('GET', '/api/settlement?date=' + date).then(function (result) {
      if (result.status !== 200) { $('settle-result').textContent = httpError(result); return; }
      lastSettlement = result.json; renderSettlement(result.json);
    }).catch(function () {});
  });
  $('settle-csv').addEventListener('click', function () {
    var date = $('settle-date').value;
    if (!date) { $('settle-result').textContent = t('settle.badDate'); return; }
    api('GET', '/api/settlement?date=' + date + '&format=csv', null, 'raw').then(function (response) {
      return response.blob().then(function (blob) {
        var link = document.createElement('a');
        link.href = URL.createObjectURL(blob); link.download = 'settlement-' + date + '.csv';
        document.body.appendChild(link); link.click(); link.remove();
        setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
      });
    }).catch(function () {});
  });

  // ---- start ----
  applyLanguage();
  if (token) {
    fetch('/api/live', { headers: { 'Authorization': 'Bearer ' + token }, cache: 'no-store' }).then(function (response) {
      if (response.status === 200) { signedIn(); } else { signOut(t('login.wrong')); }
    }, function () { signOut(t('login.unreachable')); });
  } else {
    signOut('');
  }
})();
