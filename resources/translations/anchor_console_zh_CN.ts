<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>Actions</name>
    <message>
        <source>Everywhere</source>
        <translation>所有界面</translation>
    </message>
    <message>
        <source>Roster</source>
        <translation>排班</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <source>Products</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>Broadcasts</source>
        <translation>直播场次</translation>
    </message>
    <message>
        <source>Scripts</source>
        <translation>话术</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>直播</translation>
    </message>
    <message>
        <source>Teleprompter</source>
        <translation>提词器</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>报表</translation>
    </message>
    <message>
        <source>&amp;Live</source>
        <translation>直播(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Broadcasts</source>
        <translation>直播场次(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Products</source>
        <translation>商品(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Scripts</source>
        <translation>话术(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Roster</source>
        <translation>排班(&amp;R)</translation>
    </message>
    <message>
        <source>R&amp;eports</source>
        <translation>报表(&amp;E)</translation>
    </message>
    <message>
        <source>S&amp;ync</source>
        <translation>同步(&amp;Y)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>刷新(&amp;F)</translation>
    </message>
    <message>
        <source>F&amp;ind product</source>
        <translation>查找商品(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;Dark theme</source>
        <translation>深色主题(&amp;D)</translation>
    </message>
    <message>
        <source>中文</source>
        <translation>中文</translation>
    </message>
    <message>
        <source>English</source>
        <translation>English</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>退出登录(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;About Anchor Console</source>
        <translation>关于主播控制台(&amp;A)</translation>
    </message>
    <message>
        <source>Previous week</source>
        <translation>上一周</translation>
    </message>
    <message>
        <source>This week</source>
        <translation>本周</translation>
    </message>
    <message>
        <source>Next week</source>
        <translation>下一周</translation>
    </message>
    <message>
        <source>Copy last week</source>
        <translation>复制上周排班</translation>
    </message>
    <message>
        <source>Anchors and rooms…</source>
        <translation>主播与直播间…</translation>
    </message>
    <message>
        <source>Publish</source>
        <translation>发布</translation>
    </message>
    <message>
        <source>Import roster…</source>
        <translation>导入排班…</translation>
    </message>
    <message>
        <source>Export roster…</source>
        <translation>导出排班…</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <source>Settle conflict…</source>
        <translation>处理冲突…</translation>
    </message>
    <message>
        <source>Enrol with head office…</source>
        <translation>向总部注册…</translation>
    </message>
    <message>
        <source>Import catalog…</source>
        <translation>导入商品目录…</translation>
    </message>
    <message>
        <source>Move up in the queue</source>
        <translation>在队列中上移</translation>
    </message>
    <message>
        <source>Move down in the queue</source>
        <translation>在队列中下移</translation>
    </message>
    <message>
        <source>Remove from the queue</source>
        <translation>移出队列</translation>
    </message>
    <message>
        <source>Pin or unpin the link number</source>
        <translation>固定或取消固定链接号</translation>
    </message>
    <message>
        <source>Search to add a product</source>
        <translation>搜索添加商品</translation>
    </message>
    <message>
        <source>Scan a barcode</source>
        <translation>扫码添加</translation>
    </message>
    <message>
        <source>Mark ready</source>
        <translation>标记为就绪</translation>
    </message>
    <message>
        <source>New broadcast…</source>
        <translation>新建直播…</translation>
    </message>
    <message>
        <source>Change broadcast…</source>
        <translation>修改直播…</translation>
    </message>
    <message>
        <source>Cancel broadcast…</source>
        <translation>取消直播…</translation>
    </message>
    <message>
        <source>Put the suggested wording in</source>
        <translation>替换为建议的说法</translation>
    </message>
    <message>
        <source>Next finding</source>
        <translation>下一处问题</translation>
    </message>
    <message>
        <source>Previous finding</source>
        <translation>上一处问题</translation>
    </message>
    <message>
        <source>Save as a new version</source>
        <translation>保存为新版本</translation>
    </message>
    <message>
        <source>Submit for approval</source>
        <translation>提交审批</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>批准</translation>
    </message>
    <message>
        <source>Reject…</source>
        <translation>驳回…</translation>
    </message>
    <message>
        <source>Compare versions</source>
        <translation>比较版本</translation>
    </message>
    <message>
        <source>Filter the scripts</source>
        <translation>筛选话术</translation>
    </message>
    <message>
        <source>Edit the script</source>
        <translation>编辑话术</translation>
    </message>
    <message>
        <source>Export Excel…</source>
        <translation>导出 Excel…</translation>
    </message>
    <message>
        <source>Broadcast PDF…</source>
        <translation>直播场次 PDF…</translation>
    </message>
    <message>
        <source>Back from the drill-down</source>
        <translation>从下钻返回</translation>
    </message>
    <message>
        <source>New script…</source>
        <translation>新建话术…</translation>
    </message>
    <message>
        <source>Go live</source>
        <translation>开播</translation>
    </message>
    <message>
        <source>Rehearse</source>
        <translation>彩排</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一个</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>上一个</translation>
    </message>
    <message>
        <source>Jump to the typed link number, or confirm</source>
        <translation>跳到输入的链接号，或确认</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>跳过</translation>
    </message>
    <message>
        <source>Sold out</source>
        <translation>售罄</translation>
    </message>
    <message>
        <source>Stock…</source>
        <translation>库存…</translation>
    </message>
    <message>
        <source>Note…</source>
        <translation>备注…</translation>
    </message>
    <message>
        <source>Pause / resume</source>
        <translation>暂停 / 继续</translation>
    </message>
    <message>
        <source>Enter the platform&apos;s figures</source>
        <translation>录入平台数据</translation>
    </message>
    <message>
        <source>End show…</source>
        <translation>结束直播…</translation>
    </message>
    <message>
        <source>Opening on the prompter</source>
        <translation>提词器显示开场话术</translation>
    </message>
    <message>
        <source>Interaction on the prompter</source>
        <translation>提词器显示互动话术</translation>
    </message>
    <message>
        <source>Closing on the prompter</source>
        <translation>提词器显示结束语</translation>
    </message>
    <message>
        <source>Product&apos;s script on the prompter</source>
        <translation>提词器回到商品话术</translation>
    </message>
    <message>
        <source>Next product</source>
        <translation>下一个商品</translation>
    </message>
    <message>
        <source>Previous product</source>
        <translation>上一个商品</translation>
    </message>
    <message>
        <source>Pause or resume the show</source>
        <translation>暂停或继续直播</translation>
    </message>
    <message>
        <source>Pause or resume scrolling</source>
        <translation>暂停或继续滚动</translation>
    </message>
    <message>
        <source>Scroll faster</source>
        <translation>加快滚动</translation>
    </message>
    <message>
        <source>Scroll slower</source>
        <translation>减慢滚动</translation>
    </message>
    <message>
        <source>Larger text</source>
        <translation>放大文字</translation>
    </message>
    <message>
        <source>Smaller text</source>
        <translation>缩小文字</translation>
    </message>
    <message>
        <source>Mirror left to right</source>
        <translation>左右镜像</translation>
    </message>
    <message>
        <source>Mirror top to bottom</source>
        <translation>上下镜像</translation>
    </message>
    <message>
        <source>Next marker</source>
        <translation>下一个标记</translation>
    </message>
    <message>
        <source>Previous marker</source>
        <translation>上一个标记</translation>
    </message>
    <message>
        <source>Full screen</source>
        <translation>全屏</translation>
    </message>
    <message>
        <source>Opening script</source>
        <translation>开场话术</translation>
    </message>
    <message>
        <source>Interaction script</source>
        <translation>互动话术</translation>
    </message>
    <message>
        <source>Closing script</source>
        <translation>结束语</translation>
    </message>
    <message>
        <source>Back to the product&apos;s script</source>
        <translation>回到商品话术</translation>
    </message>
</context>
<context>
    <name>AddBar</name>
    <message>
        <source>Add a product: name, SKU, barcode or pinyin (Ctrl+K)</source>
        <translation>添加商品：名称、货号、条码或拼音（Ctrl+K）</translation>
    </message>
    <message>
        <source>Enter or a double-click adds the highlighted product; Up and Down choose another</source>
        <translation>按回车或双击添加选中的商品；用上下方向键选择其他商品</translation>
    </message>
    <message>
        <source>Scan a barcode (Ctrl+B)</source>
        <translation>扫描条码（Ctrl+B）</translation>
    </message>
    <message>
        <source>A scanner types the code and Enter: the product goes on the queue</source>
        <translation>扫码枪输入条码并回车后，商品即加入队列</translation>
    </message>
    <message>
        <source>Add from</source>
        <translation>从…添加</translation>
    </message>
    <message>
        <source>Product set</source>
        <translation>商品组</translation>
    </message>
    <message>
        <source>Copy a past broadcast&apos;s queue…</source>
        <translation>复制往期直播的队列…</translation>
    </message>
    <message>
        <source>Save this queue as a set…</source>
        <translation>将此队列存为商品组…</translation>
    </message>
    <message>
        <source>%1 (%2 products)</source>
        <translation>%1（%2 件商品）</translation>
    </message>
    <message>
        <source>No product sets yet</source>
        <translation>还没有商品组</translation>
    </message>
</context>
<context>
    <name>AnchorTableModel</name>
    <message>
        <source>Code</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Affiliation</source>
        <translation>所属</translation>
    </message>
    <message>
        <source>Trained brands</source>
        <translation>已培训品牌</translation>
    </message>
    <message>
        <source>Trained categories</source>
        <translation>已培训品类</translation>
    </message>
    <message>
        <source>Certified until</source>
        <translation>认证有效期至</translation>
    </message>
    <message>
        <source>Weekly cap (h)</source>
        <translation>周工时上限(小时)</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>在岗</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>BoardEditor</name>
    <message>
        <source>Templates</source>
        <translation>排班模板</translation>
    </message>
    <message>
        <source>Undo %1 (Ctrl+Z)</source>
        <translation>撤销：%1（Ctrl+Z）</translation>
    </message>
    <message>
        <source>Nothing to undo</source>
        <translation>没有可撤销的操作</translation>
    </message>
    <message>
        <source>Redo %1 (Ctrl+Shift+Z)</source>
        <translation>重做：%1（Ctrl+Shift+Z）</translation>
    </message>
    <message>
        <source>Nothing to redo</source>
        <translation>没有可重做的操作</translation>
    </message>
    <message>
        <source>Could not undo “%1”: %2</source>
        <translation>无法撤销“%1”：%2</translation>
    </message>
    <message>
        <source>Could not redo “%1”: %2</source>
        <translation>无法重做“%1”：%2</translation>
    </message>
    <message>
        <source>Not moved: %1</source>
        <translation>未调整：%1</translation>
    </message>
    <message>
        <source>Not added: %1 is in the past; new shifts start from now on.</source>
        <translation>未添加：%1 已经过去，新班次只能从现在起排。</translation>
    </message>
    <message>
        <source>Not added: %1</source>
        <translation>未添加：%1</translation>
    </message>
    <message>
        <source>Copy last week</source>
        <translation>复制上周排班</translation>
    </message>
    <message>
        <source>Apply template %1</source>
        <translation>套用模板 %1</translation>
    </message>
    <message>
        <source>Nothing to copy: that week has no shifts.</source>
        <translation>没有可复制的：那一周没有班次。</translation>
    </message>
    <message>
        <source>Adding the shifts…</source>
        <translation>正在添加班次…</translation>
    </message>
    <message>
        <source>Apply “%1” (%2 shifts)</source>
        <translation>套用“%1”（%2 个班次）</translation>
    </message>
    <message>
        <source>Save this week as a template…</source>
        <translation>将本周排班存为模板…</translation>
    </message>
    <message>
        <source>Save as template</source>
        <translation>存为模板</translation>
    </message>
    <message>
        <source>Name of the template:</source>
        <translation>模板名称：</translation>
    </message>
    <message>
        <source>Nothing to publish: every shift this week is published already.</source>
        <translation>无需发布：本周班次均已发布。</translation>
    </message>
    <message>
        <source>Publishing…</source>
        <translation>正在发布…</translation>
    </message>
    <message>
        <source>%1 added</source>
        <translation>新增 %1</translation>
    </message>
    <message>
        <source>%1 changed</source>
        <translation>变动 %1</translation>
    </message>
    <message>
        <source>%1 removed</source>
        <translation>撤下 %1</translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1（%2）：%3</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <source>New: %1</source>
        <translation>新增：%1</translation>
    </message>
    <message>
        <source>Changed: %1</source>
        <translation>变动：%1</translation>
    </message>
    <message>
        <source>Taken off: %1</source>
        <translation>撤下：%1</translation>
    </message>
</context>
<context>
    <name>BoardFilters</name>
    <message>
        <source>Live rooms</source>
        <translation>按直播间</translation>
    </message>
    <message>
        <source>Anchors</source>
        <translation>按主播</translation>
    </message>
    <message>
        <source>Fit the week</source>
        <translation>整周显示</translation>
    </message>
    <message>
        <source>1 hour = 30 px</source>
        <translation>1小时 = 30像素</translation>
    </message>
    <message>
        <source>1 hour = 60 px</source>
        <translation>1小时 = 60像素</translation>
    </message>
    <message>
        <source>1 hour = 120 px</source>
        <translation>1小时 = 120像素</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>Changed since published</source>
        <translation>发布后有改动</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>提醒</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>待处理</translation>
    </message>
    <message>
        <source>All roles</source>
        <translation>全部岗位</translation>
    </message>
    <message>
        <source>All live rooms</source>
        <translation>全部直播间</translation>
    </message>
    <message>
        <source>All anchors</source>
        <translation>全部主播</translation>
    </message>
</context>
<context>
    <name>BroadcastTableModel</name>
    <message>
        <source>Starts</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Ends</source>
        <translation>结束</translation>
    </message>
    <message>
        <source>Broadcast</source>
        <translation>直播场次</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>直播间</translation>
    </message>
    <message>
        <source>Hosts</source>
        <translation>主播</translation>
    </message>
    <message>
        <source>Products</source>
        <translation>商品数</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>BroadcastsPage</name>
    <message>
        <source>Not changed: %1</source>
        <translation>未修改：%1</translation>
    </message>
    <message>
        <source>Broadcasts</source>
        <translation>直播场次</translation>
    </message>
    <message>
        <source>Upcoming shows first. Build the selected show&apos;s queue: search or scan to add, drag or Ctrl+↑/↓ to reorder, double-click a link, price, deal, duration or stock to change it.</source>
        <translation>即将开播的场次在前。为选中的场次排品：搜索或扫码添加，拖动或按 Ctrl+↑/↓ 调整顺序，双击链接号、价格、优惠、时长或库存即可修改。</translation>
    </message>
    <message>
        <source>Pin link</source>
        <translation>固定链接号</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移出</translation>
    </message>
    <message>
        <source>Cancel broadcast</source>
        <translation>取消直播</translation>
    </message>
    <message>
        <source>Cancel “%1”? It stays on the list as cancelled, with its queue, and its room is free again.</source>
        <translation>取消“%1”？它会以“已取消”留在列表中，排品保留，直播间的时段随之空出。</translation>
    </message>
    <message>
        <source>Checking the queue…</source>
        <translation>正在检查队列…</translation>
    </message>
    <message>
        <source>No other broadcast has a queue to copy.</source>
        <translation>没有其他场次的队列可以复制。</translation>
    </message>
    <message>
        <source>Save as product set</source>
        <translation>存为商品组</translation>
    </message>
    <message>
        <source>Name of the set:</source>
        <translation>商品组名称：</translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <source>Settle a conflict</source>
        <translation>处理冲突</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>This store&apos;s value</source>
        <translation>本店的值</translation>
    </message>
    <message>
        <source>Head office&apos;s value</source>
        <translation>总部的值</translation>
    </message>
    <message>
        <source>Merged value</source>
        <translation>合并后的值</translation>
    </message>
    <message>
        <source>Head office refused this new %1 row: another row already holds its value. Only head office&apos;s side can be kept.</source>
        <translation>总部拒收了这条新的 %1 记录：另一条记录已占用它的值。只能保留总部的一方。</translation>
    </message>
    <message>
        <source>Another row of the store already had this %1&apos;s value, so head office renamed it. Keep head office&apos;s name, or choose another one.</source>
        <translation>本店另一条记录已使用这个 %1 的值，所以总部给它改了名。可以保留总部的名称，或另选一个。</translation>
    </message>
    <message>
        <source>Another console changed this %1 row first, so head office kept its values. Keep either side, or type a merged value.</source>
        <translation>另一台控制台先改动了这条 %1 记录，所以总部保留了它的值。可以保留任一方，或输入合并后的值。</translation>
    </message>
    <message>
        <source>New value</source>
        <translation>新值</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>改名…</translation>
    </message>
    <message>
        <source>Keep head office&apos;s</source>
        <translation>保留总部的</translation>
    </message>
    <message>
        <source>Keep this store&apos;s</source>
        <translation>保留本店的</translation>
    </message>
    <message>
        <source>Save merged value</source>
        <translation>保存合并后的值</translation>
    </message>
    <message>
        <source>head office</source>
        <translation>总部</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>The merged value of %1 cannot be read: type it as this store&apos;s value is written.</source>
        <translation>无法读取 %1 的合并值：请按本店的值的写法输入。</translation>
    </message>
</context>
<context>
    <name>Console</name>
    <message>
        <source>Some messages are shown in English: the translation file could not be read.</source>
        <translation>部分提示暂以英文显示：翻译文件无法读取。</translation>
    </message>
    <message>
        <source>Anchor Console</source>
        <translation>主播控制台</translation>
    </message>
    <message>
        <source>The key %1 you chose for “%2” is already “%3”; it keeps its usual key.</source>
        <translation>您为“%2”设置的按键 %1 已被“%3”占用，未予采用；它仍使用默认按键。</translation>
    </message>
</context>
<context>
    <name>CopyPreviewDialog</name>
    <message>
        <source>%1 shifts: %2 can be copied, %3 cannot (the rules refuse them, see why below).</source>
        <translation>共 %1 个班次：%2 个可以复制，%3 个不能复制（排班规则不允许，原因见下表）。</translation>
    </message>
    <message>
        <source>%1 shifts, all of which can be copied.</source>
        <translation>共 %1 个班次，全部可以复制。</translation>
    </message>
    <message>
        <source>When (in the new week)</source>
        <translation>时间（复制到的那一周）</translation>
    </message>
    <message>
        <source>Anchor</source>
        <translation>主播</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>岗位</translation>
    </message>
    <message>
        <source>Live room</source>
        <translation>直播间</translation>
    </message>
    <message>
        <source>What the rules say</source>
        <translation>排班规则的判断</translation>
    </message>
    <message>
        <source>Not copied: %1</source>
        <translation>不复制：%1</translation>
    </message>
    <message>
        <source>Copied, needs a reason: %1</source>
        <translation>复制，需填写原因：%1</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy %1 shifts</source>
        <translation>复制 %1 个班次</translation>
    </message>
</context>
<context>
    <name>CopyQueueDialog</name>
    <message>
        <source>Copy a queue</source>
        <translation>复制队列</translation>
    </message>
    <message>
        <source>Its products, order, live prices, deals, durations and pinned links are added to this queue; the stock at the start is today&apos;s.</source>
        <translation>该场次的商品、顺序、直播价、优惠、时长和固定的链接号将加入本队列；开播库存按今天的库存计。</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
</context>
<context>
    <name>CrashReporter</name>
    <message>
        <source>Something went wrong, and the console kept running. The details are in %1.</source>
        <translation>出现了一个错误，控制台仍在运行。详情见 %1。</translation>
    </message>
    <message>
        <source>Anchor Console</source>
        <translation>主播控制台</translation>
    </message>
</context>
<context>
    <name>EnrollDialog</name>
    <message>
        <source>Enrol with head office</source>
        <translation>向总部注册</translation>
    </message>
    <message>
        <source>This console&apos;s enrolment with %1 did not finish. Resume goes on from what was already loaded or sent; nothing is fetched twice.</source>
        <translation>这台控制台向 %1 的注册没有完成。“继续”会从已载入或已发送的地方接着做，不会重复获取。</translation>
    </message>
    <message>
        <source>Head office gives each new console a one-time code. Once enrolled, this console syncs the store&apos;s roster, shows and prices with head office and takes head office&apos;s catalog.</source>
        <translation>总部为每台新控制台发一个一次性注册码。注册后，这台控制台与总部同步本店的排班、直播和价格，并使用总部的商品目录。</translation>
    </message>
    <message>
        <source>Head office&apos;s &amp;address</source>
        <translation>总部地址(&amp;A)</translation>
    </message>
    <message>
        <source>One-time &amp;code</source>
        <translation>一次性注册码(&amp;C)</translation>
    </message>
    <message>
        <source>This console&apos;s &amp;name</source>
        <translation>本机名称(&amp;N)</translation>
    </message>
    <message>
        <source>as head office lists it (default: the computer&apos;s name)</source>
        <translation>总部列表中显示的名称（默认：电脑名）</translation>
    </message>
    <message>
        <source>This console&apos;s own data</source>
        <translation>这台控制台自己的数据</translation>
    </message>
    <message>
        <source>This console holds no data of its own yet.</source>
        <translation>这台控制台还没有自己的数据。</translation>
    </message>
    <message>
        <source>&amp;Upload this console&apos;s data</source>
        <translation>上传本机数据(&amp;U)</translation>
    </message>
    <message>
        <source>Its anchors, roster, shows and prices become the store&apos;s data at head office; its products are matched to head office&apos;s catalog by SKU. Refused, with nothing changed and the code still usable, if head office lacks a product it uses or already holds this store&apos;s data from another console.</source>
        <translation>本机的主播、排班、直播和价格成为总部的本店数据；商品按商品编码与总部目录对应。如果总部缺少本机用到的商品，或已有来自另一台控制台的本店数据，上传会被拒绝：什么都不改，注册码仍可使用。</translation>
    </message>
    <message>
        <source>&amp;Start clean</source>
        <translation>重新开始(&amp;S)</translation>
    </message>
    <message>
        <source>This console&apos;s data is set aside and it takes the store&apos;s data from head office. A backup copy of the data file is kept first, in the data folder&apos;s backups folder.</source>
        <translation>本机数据被搁置，改用总部的本店数据。动手前先在数据文件夹的 backups 文件夹里保留一份数据文件备份。</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>继续(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Enrol</source>
        <translation>注册(&amp;E)</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>停止(&amp;T)</translation>
    </message>
    <message>
        <source>Loading head office&apos;s catalog…</source>
        <translation>正在载入总部的商品目录…</translation>
    </message>
    <message>
        <source>Loading the store&apos;s data…</source>
        <translation>正在载入本店数据…</translation>
    </message>
    <message>
        <source>Sending this console&apos;s data to head office…</source>
        <translation>正在把本机数据发送到总部…</translation>
    </message>
    <message>
        <source>Saving what was loaded…</source>
        <translation>正在保存已载入的数据…</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>正在处理…</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <source>%1 of %2 rows</source>
        <translation>%1 / %2 行</translation>
    </message>
    <message>
        <source>%1 rows</source>
        <translation>%1 行</translation>
    </message>
    <message>
        <source>%1 rows/s</source>
        <translation>每秒 %1 行</translation>
    </message>
    <message>
        <source>about %1 left</source>
        <translation>约剩 %1</translation>
    </message>
    <message>
        <source>Type head office&apos;s address, as head office gave it (http://… or https://…).</source>
        <translation>请输入总部给的地址（http://… 或 https://…）。</translation>
    </message>
    <message>
        <source>Type the one-time code head office gave you.</source>
        <translation>请输入总部给你的一次性注册码。</translation>
    </message>
    <message>
        <source>Choose whether to upload this console&apos;s data or to start clean.</source>
        <translation>请选择上传本机数据还是重新开始。</translation>
    </message>
    <message>
        <source>Stopped. What was loaded or sent is kept; Resume goes on from there.</source>
        <translation>已停止。已载入或已发送的部分都保留着；“继续”会从那里接着做。</translation>
    </message>
    <message>
        <source>Enrolled as a console of store %1. Sign in again: this console now works with the store&apos;s data.</source>
        <translation>已注册为门店 %1 的控制台。请重新登录：这台控制台现在使用本店的数据。</translation>
    </message>
    <message>
        <source>The first sync did not finish (%1); the console tries again by itself.</source>
        <translation>第一次同步没有完成（%1）；控制台会自己再试。</translation>
    </message>
</context>
<context>
    <name>Enums</name>
    <message>
        <source>Anchor</source>
        <translation>主播</translation>
    </message>
    <message>
        <source>Room controller</source>
        <translation>场控</translation>
    </message>
    <message>
        <source>Store manager</source>
        <translation>店长</translation>
    </message>
    <message>
        <source>Head office</source>
        <translation>总部</translation>
    </message>
    <message>
        <source>Mall staff</source>
        <translation>商场员工</translation>
    </message>
    <message>
        <source>Brand staff</source>
        <translation>品牌员工</translation>
    </message>
    <message>
        <source>Guest</source>
        <translation>嘉宾</translation>
    </message>
    <message>
        <source>Planned</source>
        <translation>待开播</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>已就绪</translation>
    </message>
    <message>
        <source>On air</source>
        <translation>直播中</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>已下播</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>待讲解</translation>
    </message>
    <message>
        <source>Explaining</source>
        <translation>讲解中</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>已讲解</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>Awaiting approval</source>
        <translation>待审核</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>已通过</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>已驳回</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>主播</translation>
    </message>
    <message>
        <source>Co-host</source>
        <translation>副播</translation>
    </message>
    <message>
        <source>Douyin</source>
        <translation>抖音</translation>
    </message>
    <message>
        <source>Kuaishou</source>
        <translation>快手</translation>
    </message>
    <message>
        <source>Taobao Live</source>
        <translation>淘宝直播</translation>
    </message>
    <message>
        <source>Pinduoduo</source>
        <translation>拼多多</translation>
    </message>
    <message>
        <source>JD</source>
        <translation>京东</translation>
    </message>
    <message>
        <source>WeChat Channels</source>
        <translation>视频号</translation>
    </message>
</context>
<context>
    <name>FileProblemModel</name>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>货号</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>File</source>
        <translation>整个文件</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <source>New store — Anchor Console</source>
        <translation>新建门店 — 主播控制台</translation>
    </message>
    <message>
        <source>Set up this console</source>
        <translation>初始化本控制台</translation>
    </message>
    <message>
        <source>This data folder holds no store yet. Name the store and its first store manager. To look around first, close this and run: anchor-console demo</source>
        <translation>此数据文件夹中还没有门店。请填写门店信息和第一位店长。如想先体验一下，请关闭此窗口并运行：anchor-console demo</translation>
    </message>
    <message>
        <source>Store code</source>
        <translation>门店编号</translation>
    </message>
    <message>
        <source>Store name</source>
        <translation>门店名称</translation>
    </message>
    <message>
        <source>Manager&apos;s name</source>
        <translation>店长姓名</translation>
    </message>
    <message>
        <source>Manager&apos;s login</source>
        <translation>店长登录名</translation>
    </message>
    <message>
        <source>PIN (4–8 digits)</source>
        <translation>PIN 码（4–8 位数字）</translation>
    </message>
    <message>
        <source>PIN again</source>
        <translation>再次输入 PIN 码</translation>
    </message>
    <message>
        <source>Create store</source>
        <translation>创建门店</translation>
    </message>
    <message>
        <source>The two PINs differ.</source>
        <translation>两次输入的 PIN 码不一致。</translation>
    </message>
</context>
<context>
    <name>ImportPreviewDialog</name>
    <message>
        <source>Import %1</source>
        <translation>导入 %1</translation>
    </message>
    <message>
        <source>This file adds %1 products, updates %2 and leaves %3 unchanged. Nothing is written until you import.</source>
        <translation>此文件将新增 %1 个商品，更新 %2 个，%3 个不变。点“导入”之前不会写入任何内容。</translation>
    </message>
    <message numerus="yes">
        <source>Nothing can be imported from this file: %n row(s) refused. Fix every refused row and import the file again.</source>
        <translation>
            <numerusform>此文件无法导入：有 %n 行被拒。请改正所有被拒的行后重新导入。</numerusform>
        </translation>
    </message>
    <message>
        <source>The lists name the first %1 products of each kind; the counts are whole.</source>
        <translation>每类列表只列出前 %1 个商品；数量为全部合计。</translation>
    </message>
    <message>
        <source>The first %1 of %2 problems are listed.</source>
        <translation>共 %2 个问题，此处列出前 %1 个。</translation>
    </message>
    <message>
        <source>To add (%1)</source>
        <translation>新增（%1）</translation>
    </message>
    <message>
        <source>To update (%1)</source>
        <translation>更新（%1）</translation>
    </message>
    <message>
        <source>Refused (%1)</source>
        <translation>被拒（%1）</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
</context>
<context>
    <name>ImportPrompts</name>
    <message>
        <source>Add a picture</source>
        <translation>添加图片</translation>
    </message>
    <message>
        <source>Pictures (%1)</source>
        <translation>图片 (%1)</translation>
    </message>
    <message>
        <source>Import catalog</source>
        <translation>导入商品目录</translation>
    </message>
    <message>
        <source>Spreadsheets (%1)</source>
        <translation>表格文件 (%1)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>LivePage</name>
    <message>
        <source>Type a link number, then jump to it</source>
        <translation>输入链接号，再跳到该商品</translation>
    </message>
    <message>
        <source>Clear the typed link number</source>
        <translation>清除已输入的链接号</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>直播</translation>
    </message>
    <message>
        <source>Page Down next, Page Up previous, type a link number then Enter to jump, B pauses, Esc ends the show; F6, F7, F8 put the opening, interaction or closing script on the prompter, F9 the product&apos;s again. F1 lists every key.</source>
        <translation>Page Down 下一个，Page Up 上一个，输入链接号后按回车跳转，B 暂停，Esc 结束直播；F6、F7、F8 把开场、互动或结束语放上提词器，F9 回到商品话术。F1 查看全部按键。</translation>
    </message>
    <message>
        <source>REHEARSAL — nothing is recorded as the show</source>
        <translation>彩排中 —— 不计入正式直播</translation>
    </message>
    <message>
        <source>PAUSED</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>F5 goes live with this show; Shift+F5 rehearses it first.</source>
        <translation>按 F5 开播本场；按 Shift+F5 先彩排。</translation>
    </message>
    <message>
        <source>Stock (K)</source>
        <translation>库存 (K)</translation>
    </message>
    <message>
        <source>Note (N)</source>
        <translation>备注 (N)</translation>
    </message>
    <message>
        <source>Stock left, then Enter</source>
        <translation>剩余库存，回车确认</translation>
    </message>
    <message>
        <source>What happened, then Enter</source>
        <translation>发生了什么，回车确认</translation>
    </message>
    <message>
        <source>The platform&apos;s figures (Ctrl+M, then Enter)</source>
        <translation>平台数据（Ctrl+M，回车录入）</translation>
    </message>
    <message>
        <source>End the show now? Enter ends it; Esc goes back to the show.</source>
        <translation>现在结束直播吗？回车结束；Esc 返回直播。</translation>
    </message>
    <message>
        <source>End the show</source>
        <translation>结束直播</translation>
    </message>
    <message>
        <source>Keep going</source>
        <translation>继续直播</translation>
    </message>
    <message>
        <source>Export summary…</source>
        <translation>导出复盘…</translation>
    </message>
    <message>
        <source>Views</source>
        <translation>观看</translation>
    </message>
    <message>
        <source>Viewers</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>Likes</source>
        <translation>点赞</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>GMV (yuan)</source>
        <translation>成交额（元）</translation>
    </message>
    <message>
        <source>No figures recorded yet.</source>
        <translation>尚未录入数据。</translation>
    </message>
    <message>
        <source>Views %1 · viewers %2 · likes %3 · orders %4 · GMV %5</source>
        <translation>观看 %1 · 在线 %2 · 点赞 %3 · 订单 %4 · 成交额 %5</translation>
    </message>
    <message>
        <source>Papers: %1</source>
        <translation>资质：%1</translation>
    </message>
    <message>
        <source>Papers: none</source>
        <translation>资质：无</translation>
    </message>
    <message>
        <source>No broadcast planned</source>
        <translation>暂无已排期的直播</translation>
    </message>
    <message>
        <source>Plan one on the Broadcasts screen.</source>
        <translation>请在“直播场次”页面新建一场。</translation>
    </message>
    <message>
        <source>%1 · %2–%3 · %4 · hosts: %5 · %6 products</source>
        <translation>%1 · %2–%3 · %4 · 主播：%5 · 共 %6 个商品</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>Between products: Page Down puts the next one on air.</source>
        <translation>商品间隙：按 Page Down 讲解下一个。</translation>
    </message>
    <message>
        <source>SOLD OUT</source>
        <translation>已售罄</translation>
    </message>
    <message>
        <source>Stock %1</source>
        <translation>库存 %1</translation>
    </message>
    <message>
        <source>counter price %1</source>
        <translation>专柜价 %1</translation>
    </message>
    <message>
        <source>Next: #%1 %2 · %3</source>
        <translation>下一个：#%1 %2 · %3</translation>
    </message>
    <message>
        <source>Next: nothing waiting — End the show, or jump to a link.</source>
        <translation>下一个：已无待讲商品 —— 结束直播，或跳到某个链接。</translation>
    </message>
    <message>
        <source>Prompter: the product&apos;s script. %1 opening, %2 interaction, %3 closing.</source>
        <translation>提词器：商品话术。%1 开场，%2 互动，%3 结束语。</translation>
    </message>
    <message>
        <source>Prompter: %1 — %2. %3 goes back to the product&apos;s script.</source>
        <translation>提词器：%1 — %2。%3 回到商品话术。</translation>
    </message>
    <message>
        <source>No approved %1 script for this show: the prompter says so and shows no draft. %2 goes back to the product&apos;s script.</source>
        <translation>本场没有已批准的%1话术：提词器上会说明，不显示草稿。%2 回到商品话术。</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>商品话术</translation>
    </message>
    <message>
        <source>Rehearsal ended: %1</source>
        <translation>彩排结束：%1</translation>
    </message>
    <message>
        <source>Show ended: %1</source>
        <translation>直播结束：%1</translation>
    </message>
    <message>
        <source>%1 · %2–%3 · on air %4 of %5 planned</source>
        <translation>%1 · %2–%3 · 实播 %4，计划 %5</translation>
    </message>
    <message>
        <source>Notes: %1</source>
        <translation>备注：%1</translation>
    </message>
    <message>
        <source>Notes: none</source>
        <translation>备注：无</translation>
    </message>
    <message>
        <source> · peak viewers %1</source>
        <translation> · 最高在线 %1</translation>
    </message>
    <message>
        <source>Up next: %1 (%2). F5 goes live with it.</source>
        <translation>下一场：%1（%2）。按 F5 开播。</translation>
    </message>
    <message>
        <source>Show %1 · left %2</source>
        <translation>已播 %1 · 剩余 %2</translation>
    </message>
    <message>
        <source>→ #%1</source>
        <translation>→ #%1</translation>
    </message>
    <message>
        <source>“%1” is not a stock count; type a whole number, such as 35.</source>
        <translation>“%1”不是库存数；请输入整数，例如 35。</translation>
    </message>
    <message>
        <source>%1: “%2” is not a whole number.</source>
        <translation>%1：“%2”不是整数。</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Export summary</source>
        <translation>导出复盘</translation>
    </message>
    <message>
        <source>Summary written to %1.</source>
        <translation>复盘已写入 %1。</translation>
    </message>
</context>
<context>
    <name>LiveQueueModel</name>
    <message>
        <source>Waiting</source>
        <translation>待讲</translation>
    </message>
    <message>
        <source>On air</source>
        <translation>讲解中</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>已讲</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <source>Sold out</source>
        <translation>已售罄</translation>
    </message>
    <message>
        <source>Link</source>
        <translation>链接</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>Live price</source>
        <translation>直播价</translation>
    </message>
    <message>
        <source>Stock</source>
        <translation>库存</translation>
    </message>
    <message>
        <source>Planned</source>
        <translation>计划</translation>
    </message>
    <message>
        <source>Actual</source>
        <translation>实际</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Anchor Console — %1</source>
        <translation>主播控制台 — %1</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Store: %1 %2</source>
        <translation>门店：%1 %2</translation>
    </message>
    <message>
        <source>Signed in: %1 (%2)</source>
        <translation>当前用户：%1（%2）</translation>
    </message>
    <message>
        <source>Sync: %1 changes waiting</source>
        <translation>同步：%1 项变更待上传</translation>
    </message>
    <message>
        <source>last ok %1</source>
        <translation>上次成功 %1</translation>
    </message>
    <message>
        <source>problem</source>
        <translation>有问题</translation>
    </message>
    <message>
        <source>Sync: not enrolled (working offline)</source>
        <translation>同步：未接入总部（离线工作）</translation>
    </message>
    <message>
        <source>About Anchor Console</source>
        <translation>关于主播控制台</translation>
    </message>
    <message>
        <source>Anchor Console %1
Planned, truthful and measurable live commerce for department stores.</source>
        <translation>主播控制台 %1
让百货门店的直播带货有计划、讲真话、可衡量。</translation>
    </message>
</context>
<context>
    <name>MyShifts</name>
    <message>
        <source>Ask for time off…</source>
        <translation>申请请假…</translation>
    </message>
    <message>
        <source>Offer this shift for a swap…</source>
        <translation>申请调班…</translation>
    </message>
    <message>
        <source>My shifts, the next %1 weeks</source>
        <translation>我的班次（未来 %1 周）</translation>
    </message>
    <message>
        <source>Asked for time off %1; your store manager will decide.</source>
        <translation>已申请请假 %1，等待店长审批。</translation>
    </message>
    <message>
        <source>Select one of your shifts first.</source>
        <translation>请先选中一个自己的班次。</translation>
    </message>
    <message>
        <source>Offered your shift %1 to %2; your store manager will decide.</source>
        <translation>已申请将 %1 的班次调给 %2，等待店长审批。</translation>
    </message>
</context>
<context>
    <name>MyShiftsModel</name>
    <message>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>直播间</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>岗位</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Changed since you last saw it</source>
        <translation>班次有变动，请留意</translation>
    </message>
</context>
<context>
    <name>Names</name>
    <message>
        <source>store</source>
        <translation>门店</translation>
    </message>
    <message>
        <source>product</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>quality paper</source>
        <translation>质检文件</translation>
    </message>
    <message>
        <source>rule pack</source>
        <translation>规则包</translation>
    </message>
    <message>
        <source>live room</source>
        <translation>直播间</translation>
    </message>
    <message>
        <source>platform account</source>
        <translation>平台账号</translation>
    </message>
    <message>
        <source>anchor</source>
        <translation>主播</translation>
    </message>
    <message>
        <source>user</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>shift</source>
        <translation>班次</translation>
    </message>
    <message>
        <source>time off</source>
        <translation>请假</translation>
    </message>
    <message>
        <source>shift swap</source>
        <translation>换班</translation>
    </message>
    <message>
        <source>shift template</source>
        <translation>班次模板</translation>
    </message>
    <message>
        <source>store price and stock</source>
        <translation>门店价格与库存</translation>
    </message>
    <message>
        <source>price history</source>
        <translation>价格历史</translation>
    </message>
    <message>
        <source>broadcast</source>
        <translation>直播场次</translation>
    </message>
    <message>
        <source>run-of-show item</source>
        <translation>排品条目</translation>
    </message>
    <message>
        <source>product set</source>
        <translation>商品组</translation>
    </message>
    <message>
        <source>script</source>
        <translation>话术</translation>
    </message>
    <message>
        <source>script version</source>
        <translation>话术版本</translation>
    </message>
    <message>
        <source>show run</source>
        <translation>开播记录</translation>
    </message>
    <message>
        <source>on-air event</source>
        <translation>直播事件</translation>
    </message>
    <message>
        <source>metrics</source>
        <translation>直播数据</translation>
    </message>
    <message>
        <source>audit record</source>
        <translation>审计记录</translation>
    </message>
    <message>
        <source>active</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>actual end</source>
        <translation>实际结束</translation>
    </message>
    <message>
        <source>actual start</source>
        <translation>实际开始</translation>
    </message>
    <message>
        <source>affiliation</source>
        <translation>所属</translation>
    </message>
    <message>
        <source>after-sales policy</source>
        <translation>售后政策</translation>
    </message>
    <message>
        <source>barcode</source>
        <translation>条码</translation>
    </message>
    <message>
        <source>text</source>
        <translation>正文</translation>
    </message>
    <message>
        <source>brand</source>
        <translation>品牌</translation>
    </message>
    <message>
        <source>category</source>
        <translation>品类</translation>
    </message>
    <message>
        <source>certificate expires</source>
        <translation>证书到期</translation>
    </message>
    <message>
        <source>city</source>
        <translation>城市</translation>
    </message>
    <message>
        <source>closes at</source>
        <translation>关门时间</translation>
    </message>
    <message>
        <source>code</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>counter price evidence</source>
        <translation>专柜价凭证</translation>
    </message>
    <message>
        <source>counter price</source>
        <translation>专柜价</translation>
    </message>
    <message>
        <source>deal</source>
        <translation>优惠</translation>
    </message>
    <message>
        <source>display name</source>
        <translation>显示名</translation>
    </message>
    <message>
        <source>employer brand</source>
        <translation>所属品牌</translation>
    </message>
    <message>
        <source>ends at</source>
        <translation>结束时间</translation>
    </message>
    <message>
        <source>handle</source>
        <translation>账号名</translation>
    </message>
    <message>
        <source>items</source>
        <translation>条目</translation>
    </message>
    <message>
        <source>kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>link number</source>
        <translation>链接号</translation>
    </message>
    <message>
        <source>link number pinned</source>
        <translation>固定链接号</translation>
    </message>
    <message>
        <source>live price</source>
        <translation>直播价</translation>
    </message>
    <message>
        <source>login</source>
        <translation>登录名</translation>
    </message>
    <message>
        <source>name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>opens at</source>
        <translation>开门时间</translation>
    </message>
    <message>
        <source>phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>planned end</source>
        <translation>计划结束</translation>
    </message>
    <message>
        <source>planned time</source>
        <translation>计划时长</translation>
    </message>
    <message>
        <source>planned start</source>
        <translation>计划开始</translation>
    </message>
    <message>
        <source>platform</source>
        <translation>平台</translation>
    </message>
    <message>
        <source>platform accounts</source>
        <translation>平台账号</translation>
    </message>
    <message>
        <source>platforms</source>
        <translation>平台</translation>
    </message>
    <message>
        <source>position</source>
        <translation>顺序</translation>
    </message>
    <message>
        <source>products</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>room</source>
        <translation>直播间</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <source>specification</source>
        <translation>规格</translation>
    </message>
    <message>
        <source>starts at</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>stock</source>
        <translation>库存</translation>
    </message>
    <message>
        <source>stock for the show</source>
        <translation>本场库存</translation>
    </message>
    <message>
        <source>time zone</source>
        <translation>时区</translation>
    </message>
    <message>
        <source>title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>trained brands</source>
        <translation>已培训品牌</translation>
    </message>
    <message>
        <source>trained categories</source>
        <translation>已培训品类</translation>
    </message>
    <message>
        <source>unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>valid until</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <source>weekly hours cap</source>
        <translation>每周工时上限</translation>
    </message>
</context>
<context>
    <name>NewScriptDialog</name>
    <message>
        <source>New script</source>
        <translation>新建话术</translation>
    </message>
    <message>
        <source>Type a name, SKU or pinyin, then Enter</source>
        <translation>输入名称、货号或拼音，再按回车</translation>
    </message>
    <message>
        <source>For every broadcast</source>
        <translation>通用（所有场次）</translation>
    </message>
    <message>
        <source>&amp;Template</source>
        <translation>模板(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Product</source>
        <translation>商品(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Broadcast</source>
        <translation>场次(&amp;B)</translation>
    </message>
    <message>
        <source>T&amp;itle</source>
        <translation>标题(&amp;I)</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>创建</translation>
    </message>
</context>
<context>
    <name>NewShiftDialog</name>
    <message>
        <source>New shift</source>
        <translation>新增班次</translation>
    </message>
    <message>
        <source>%1, %2 – %3</source>
        <translation>%1，%2 – %3</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>岗位</translation>
    </message>
    <message>
        <source>Anchor</source>
        <translation>主播</translation>
    </message>
    <message>
        <source>Live room</source>
        <translation>直播间</translation>
    </message>
    <message>
        <source>Why go ahead anyway? (recorded on the shift)</source>
        <translation>仍要这样排的原因？（会记录在班次上）</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>free</source>
        <translation>空闲</translation>
    </message>
    <message>
        <source>warns</source>
        <translation>有提醒</translation>
    </message>
    <message>
        <source>not possible</source>
        <translation>不可排</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>The rules find nothing against this shift.</source>
        <translation>排班规则对这个班次没有异议。</translation>
    </message>
    <message>
        <source>Nothing to choose from.</source>
        <translation>没有可选项。</translation>
    </message>
</context>
<context>
    <name>Operations</name>
    <message>
        <source>Not saved: the rules warn, and going ahead needs a reason.</source>
        <translation>未保存：排班规则有提醒，需填写原因才能继续。</translation>
    </message>
</context>
<context>
    <name>OverrideDialog</name>
    <message>
        <source>Approve despite blocking findings</source>
        <translation>越过阻止项批准</translation>
    </message>
    <message>
        <source>This version still has findings that block approval. As store manager you may approve it anyway: say why. Your reason goes to the audit log with your name.</source>
        <translation>此版本仍有阻止审批的问题。作为店长，你仍可批准：请说明理由。理由会连同你的名字记入审计日志。</translation>
    </message>
    <message>
        <source>Approve with this reason</source>
        <translation>以此理由批准</translation>
    </message>
</context>
<context>
    <name>Page</name>
    <message>
        <source>Coming to this screen</source>
        <translation>本页即将上线</translation>
    </message>
</context>
<context>
    <name>PeopleDialog</name>
    <message>
        <source>Anchors and live rooms</source>
        <translation>主播与直播间</translation>
    </message>
    <message>
        <source>Anchors</source>
        <translation>主播</translation>
    </message>
    <message>
        <source>Live rooms</source>
        <translation>直播间</translation>
    </message>
    <message>
        <source>Rules</source>
        <translation>排班规则</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Affiliation</source>
        <translation>所属</translation>
    </message>
    <message>
        <source>Employer brand</source>
        <translation>所属品牌</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Trained brands</source>
        <translation>已培训品牌</translation>
    </message>
    <message>
        <source>Trained categories</source>
        <translation>已培训品类</translation>
    </message>
    <message>
        <source>Certified until</source>
        <translation>认证有效期至</translation>
    </message>
    <message>
        <source>Weekly cap</source>
        <translation>每周工时上限</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Brands, separated by commas</source>
        <translation>品牌，用逗号分隔</translation>
    </message>
    <message>
        <source>Categories, separated by commas</source>
        <translation>品类，用逗号分隔</translation>
    </message>
    <message>
        <source>No expiry</source>
        <translation>无到期日</translation>
    </message>
    <message>
        <source>No expiry on record</source>
        <translation>不设到期日</translation>
    </message>
    <message>
        <source> h</source>
        <translation> 小时</translation>
    </message>
    <message>
        <source>May be put on the roster</source>
        <translation>可排班</translation>
    </message>
    <message>
        <source>New anchor</source>
        <translation>新增主播</translation>
    </message>
    <message>
        <source>Save anchor</source>
        <translation>保存主播</translation>
    </message>
    <message>
        <source>Platforms</source>
        <translation>直播平台</translation>
    </message>
    <message>
        <source>Opens at</source>
        <translation>开播时间</translation>
    </message>
    <message>
        <source>Closes at</source>
        <translation>关播时间</translation>
    </message>
    <message>
        <source>Open for shifts</source>
        <translation>可排班</translation>
    </message>
    <message>
        <source>A closing time before the opening time means the room closes after midnight; the same time means it never closes.</source>
        <translation>关播时间早于开播时间，表示直播间在午夜之后关闭；两者相同，表示全天开放。</translation>
    </message>
    <message>
        <source>New live room</source>
        <translation>新增直播间</translation>
    </message>
    <message>
        <source>Save live room</source>
        <translation>保存直播间</translation>
    </message>
    <message>
        <source>Minimum rest between shifts</source>
        <translation>两班之间最少休息</translation>
    </message>
    <message>
        <source>Most on-air minutes in a day</source>
        <translation>每天最多出镜分钟数</translation>
    </message>
    <message>
        <source>Most on-air minutes in a row</source>
        <translation>连续出镜最多分钟数</translation>
    </message>
    <message>
        <source>Shortest break that rests a voice</source>
        <translation>能让嗓子休息的最短间歇</translation>
    </message>
    <message>
        <source>Most days in a row</source>
        <translation>最多连续上班天数</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>Shifts beyond these limits warn and need a reason; they are never refused. The limits are the store&apos;s: they sync through head office, so every console of the store judges by them.</source>
        <translation>超出这些限值的班次会给出警告并需要填写理由，但不会被拒绝。这些限值属于本店：它们经由总部同步，本店的每台控制台都按同样的限值判断。</translation>
    </message>
    <message>
        <source>Save rules</source>
        <translation>保存规则</translation>
    </message>
    <message>
        <source>Edit anchor</source>
        <translation>编辑主播</translation>
    </message>
    <message>
        <source>Edit live room</source>
        <translation>编辑直播间</translation>
    </message>
    <message>
        <source>Deactivated, %1 keeps these booked shifts, which nobody then works. They stay on the board, flagged, until you give them to someone else.</source>
        <translation>停用后，%1名下的这些已排班次将无人上岗。它们仍留在排班表上并标记出来，直到您改派给别人。</translation>
    </message>
    <message>
        <source>After this change the rules refuse these booked shifts. They stay on the board, flagged, until you move them or give them to someone else.</source>
        <translation>这项更改后，排班规则不再允许这些已排班次。它们仍留在排班表上并标记出来，直到您改了时间或改派给别人。</translation>
    </message>
    <message>
        <source>Deactivate %1?</source>
        <translation>停用%1？</translation>
    </message>
    <message>
        <source>Save anchor?</source>
        <translation>保存主播？</translation>
    </message>
    <message>
        <source>Save anyway</source>
        <translation>仍然保存</translation>
    </message>
    <message>
        <source>Not saved: the booked shifts stay as they are.</source>
        <translation>未保存：已排班次保持不变。</translation>
    </message>
    <message>
        <source>With these opening hours (or the room closed) the rules refuse these booked shifts. They stay on the board, flagged, until you move them to other times or another room.</source>
        <translation>按新的开放时间（或直播间停用后），排班规则不再允许这些已排班次。它们仍留在排班表上并标记出来，直到您改到其他时间或其他直播间。</translation>
    </message>
    <message>
        <source>Save live room?</source>
        <translation>保存直播间？</translation>
    </message>
    <message>
        <source>Saved. The roster is judged by these limits from now on.</source>
        <translation>已保存。今后排班将按这些上限检查。</translation>
    </message>
</context>
<context>
    <name>PlanBroadcastDialog</name>
    <message>
        <source>Plan a broadcast</source>
        <translation>安排直播</translation>
    </message>
    <message>
        <source>Change the broadcast</source>
        <translation>修改直播场次</translation>
    </message>
    <message>
        <source>e.g. Lancôme winter special</source>
        <translation>例如：兰蔻冬季专场</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>直播间</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Starts</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Ends</source>
        <translation>结束</translation>
    </message>
    <message>
        <source>Brand</source>
        <translation>品牌</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>品类</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>安排</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>%1:%2 long</source>
        <translation>时长 %1:%2</translation>
    </message>
    <message>
        <source>%1, ending the next day</source>
        <translation>%1，次日结束</translation>
    </message>
</context>
<context>
    <name>PlannedUpdateModel</name>
    <message>
        <source>SKU</source>
        <translation>货号</translation>
    </message>
    <message>
        <source>Changes</source>
        <translation>变更内容</translation>
    </message>
</context>
<context>
    <name>PriceHistoryModel</name>
    <message>
        <source>Since</source>
        <translation>起始时间</translation>
    </message>
    <message>
        <source>Counter price</source>
        <translation>专柜价</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>依据</translation>
    </message>
</context>
<context>
    <name>ProductDetailPanel</name>
    <message>
        <source>May go on air.</source>
        <translation>可以上播。</translation>
    </message>
    <message>
        <source>Held back from the air: %1</source>
        <translation>暂不可上播：%1</translation>
    </message>
    <message>
        <source>None on file</source>
        <translation>未登记</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>valid until %1</source>
        <translation>有效期至 %1</translation>
    </message>
    <message>
        <source>No picture</source>
        <translation>无图片</translation>
    </message>
    <message>
        <source>Choose a product to see its papers, pictures and prices.</source>
        <translation>选择一个商品，查看其资质、图片和价格。</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>货号</translation>
    </message>
    <message>
        <source>Barcode</source>
        <translation>条码</translation>
    </message>
    <message>
        <source>Brand</source>
        <translation>品牌</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>品类</translation>
    </message>
    <message>
        <source>Spec</source>
        <translation>规格</translation>
    </message>
    <message>
        <source>Origin</source>
        <translation>产地</translation>
    </message>
    <message>
        <source>Counter price</source>
        <translation>专柜价</translation>
    </message>
    <message>
        <source>Price evidence</source>
        <translation>价格依据</translation>
    </message>
    <message>
        <source>Stock</source>
        <translation>库存</translation>
    </message>
    <message>
        <source>After-sales</source>
        <translation>售后政策</translation>
    </message>
    <message>
        <source>Head office has withdrawn this product: it is out of search and no queue may put it on air.</source>
        <translation>总部已下架此商品：搜索不到，任何排品队列都不能让它上播。</translation>
    </message>
    <message>
        <source>This store&apos;s counter price and stock</source>
        <translation>本店专柜价和库存</translation>
    </message>
    <message>
        <source>Counter price (yuan)</source>
        <translation>专柜价（元）</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>依据</translation>
    </message>
    <message>
        <source>Tag photo or price list reference</source>
        <translation>价签照片或价目表编号</translation>
    </message>
    <message>
        <source>e.g. 1299.00</source>
        <translation>例如 1299.00</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Add picture…</source>
        <translation>添加图片…</translation>
    </message>
    <message>
        <source>Quality documents</source>
        <translation>资质文件</translation>
    </message>
    <message>
        <source>No quality documents on file: the product may not go on air.</source>
        <translation>没有登记资质文件：此商品不能上播。</translation>
    </message>
    <message>
        <source>Pictures</source>
        <translation>图片</translation>
    </message>
    <message>
        <source>No pictures.</source>
        <translation>没有图片。</translation>
    </message>
    <message>
        <source>Counter price history</source>
        <translation>专柜价历史</translation>
    </message>
    <message>
        <source>No change of the counter price recorded yet.</source>
        <translation>尚无专柜价变更记录。</translation>
    </message>
</context>
<context>
    <name>ProductResultModel</name>
    <message>
        <source>SKU</source>
        <translation>货号</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>Brand</source>
        <translation>品牌</translation>
    </message>
    <message>
        <source>Counter price</source>
        <translation>专柜价</translation>
    </message>
    <message>
        <source>Stock</source>
        <translation>库存</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>On the queue as #%1</source>
        <translation>已在队列中：%1号链接</translation>
    </message>
</context>
<context>
    <name>ProductTableModel</name>
    <message>
        <source>SKU</source>
        <translation>货号</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>Brand</source>
        <translation>品牌</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>品类</translation>
    </message>
    <message>
        <source>Spec</source>
        <translation>规格</translation>
    </message>
    <message>
        <source>Counter price</source>
        <translation>专柜价</translation>
    </message>
    <message>
        <source>Stock</source>
        <translation>库存</translation>
    </message>
    <message>
        <source>On-air gate</source>
        <translation>上播资格</translation>
    </message>
    <message>
        <source>Barcode</source>
        <translation>条码</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>可上播</translation>
    </message>
</context>
<context>
    <name>ProductsPage</name>
    <message>
        <source>Products</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>Search by name, SKU, barcode, brand or pinyin (Ctrl+F)</source>
        <translation>按名称、货号、条码、品牌或拼音搜索（Ctrl+F）</translation>
    </message>
    <message>
        <source>Not saved, counter price: %1.</source>
        <translation>未保存，专柜价：%1。</translation>
    </message>
    <message>
        <source>Not saved, stock: %1.</source>
        <translation>未保存，库存：%1。</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>正在读取 %1…</translation>
    </message>
    <message>
        <source>Importing %1…</source>
        <translation>正在导入 %1…</translation>
    </message>
    <message>
        <source>Head office&apos;s catalog with this store&apos;s counter prices and stock. Products in orange may not go on air yet.</source>
        <translation>总部商品目录，附本店专柜价和库存。橙色商品暂不可上播。</translation>
    </message>
    <message>
        <source>This console is enrolled with head office, so the catalog comes from head office and its products are read-only here. This store changes only its own stock and counter prices, here or by importing a spreadsheet of them.</source>
        <translation>本控制台已接入总部，商品目录由总部下发，商品信息在此只读。本店只能修改自己的库存和专柜价，可在此修改，也可导入表格。</translation>
    </message>
    <message>
        <source>This store&apos;s catalog with its counter prices and stock. Products in orange may not go on air yet.</source>
        <translation>本店商品目录，附专柜价和库存。橙色商品暂不可上播。</translation>
    </message>
    <message>
        <source>%1 shown · %2 in the catalog</source>
        <translation>显示 %1 个 · 商品库共 %2 个</translation>
    </message>
</context>
<context>
    <name>PrompterWindow</name>
    <message>
        <source>Nothing on air. The script of the product on air is shown here.</source>
        <translation>当前没有直播。直播中商品的话术会显示在这里。</translation>
    </message>
    <message>
        <source>No approved script for this segment, for this broadcast or for every broadcast: only approved versions are shown here. %1 goes back to the product&apos;s script.</source>
        <translation>这个环节没有已批准的话术，本场的和所有直播通用的都没有：这里只显示已批准的版本。%1 回到商品话术。</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>⏸ Pause %1 s</source>
        <translation>⏸ 停顿 %1 秒</translation>
    </message>
    <message>
        <source>⏸ Pause</source>
        <translation>⏸ 停顿</translation>
    </message>
    <message>
        <source>▶ Show: %1</source>
        <translation>▶ 展示：%1</translation>
    </message>
    <message>
        <source>▶ Show the product</source>
        <translation>▶ 展示商品</translation>
    </message>
    <message>
        <source>【Link %1】 %2</source>
        <translation>【%1号链接】 %2</translation>
    </message>
    <message>
        <source>Live price {live_price}</source>
        <translation>直播价 {live_price}</translation>
    </message>
    <message>
        <source>Counter price {counter_price}</source>
        <translation>专柜价 {counter_price}</translation>
    </message>
    <message>
        <source>Deal: %1</source>
        <translation>优惠：%1</translation>
    </message>
    <message>
        <source>Spec: %1</source>
        <translation>规格：%1</translation>
    </message>
    <message>
        <source>Origin: %1</source>
        <translation>产地：%1</translation>
    </message>
    <message>
        <source>After-sales: %1</source>
        <translation>售后：%1</translation>
    </message>
    <message>
        <source>Screen %1</source>
        <translation>屏幕 %1</translation>
    </message>
    <message>
        <source>Teleprompter</source>
        <translation>提词器</translation>
    </message>
    <message>
        <source>Full screen on:</source>
        <translation>全屏显示于：</translation>
    </message>
    <message>
        <source>Speed %1</source>
        <translation>速度 %1</translation>
    </message>
    <message>
        <source>Size %1</source>
        <translation>字号 %1</translation>
    </message>
    <message>
        <source>Scrolling paused (Space)</source>
        <translation>滚动已暂停（空格键）</translation>
    </message>
    <message>
        <source>Show paused (B)</source>
        <translation>直播已暂停（B 键）</translation>
    </message>
    <message>
        <source>Mirrored left to right</source>
        <translation>已左右镜像</translation>
    </message>
    <message>
        <source>Mirrored top to bottom</source>
        <translation>已上下镜像</translation>
    </message>
    <message>
        <source>On the prompter: %1 (%2: the product&apos;s script)</source>
        <translation>提词器显示：%1（%2 回到商品话术）</translation>
    </message>
</context>
<context>
    <name>PublishDialog</name>
    <message>
        <source>Publish this week</source>
        <translation>发布本周排班</translation>
    </message>
    <message>
        <source>Once you publish, these anchors see the changes on their My shifts:</source>
        <translation>发布后，以下主播会在「我的班次」里看到这些变动：</translation>
    </message>
    <message>
        <source>Publish</source>
        <translation>发布</translation>
    </message>
</context>
<context>
    <name>QualityPaperModel</name>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Issuer</source>
        <translation>签发机构</translation>
    </message>
    <message>
        <source>Valid until</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <source>No end date</source>
        <translation>长期有效</translation>
    </message>
    <message>
        <source>%1 (expired)</source>
        <translation>%1（已过期）</translation>
    </message>
    <message>
        <source>%1 (expires soon)</source>
        <translation>%1（即将过期）</translation>
    </message>
    <message>
        <source>Inspection report</source>
        <translation>检测报告</translation>
    </message>
    <message>
        <source>3C certificate</source>
        <translation>3C 认证</translation>
    </message>
    <message>
        <source>Cosmetics filing</source>
        <translation>化妆品备案</translation>
    </message>
    <message>
        <source>Food production licence</source>
        <translation>食品生产许可证</translation>
    </message>
    <message>
        <source>Brand authorisation</source>
        <translation>品牌授权书</translation>
    </message>
    <message>
        <source>Customs declaration</source>
        <translation>报关单</translation>
    </message>
</context>
<context>
    <name>QueueCommands</name>
    <message>
        <source>Add to the queue</source>
        <translation>加入队列</translation>
    </message>
    <message>
        <source>Remove from the queue</source>
        <translation>移出队列</translation>
    </message>
    <message>
        <source>Move in the queue</source>
        <translation>调整队列顺序</translation>
    </message>
    <message>
        <source>Save as product set</source>
        <translation>存为商品组</translation>
    </message>
</context>
<context>
    <name>QueueEditor</name>
    <message>
        <source>Could not undo “%1”: %2</source>
        <translation>无法撤销“%1”：%2</translation>
    </message>
    <message>
        <source>Could not redo “%1”: %2</source>
        <translation>无法重做“%1”：%2</translation>
    </message>
    <message>
        <source>Not added: %1</source>
        <translation>未添加：%1</translation>
    </message>
    <message>
        <source>Scan %1</source>
        <translation>扫码 %1</translation>
    </message>
    <message>
        <source>Add the set “%1”</source>
        <translation>添加商品组“%1”</translation>
    </message>
    <message>
        <source>Copy the queue of “%1”</source>
        <translation>复制“%1”的队列</translation>
    </message>
    <message>
        <source>Not removed: %1</source>
        <translation>未移出：%1</translation>
    </message>
    <message>
        <source>Not moved: %1</source>
        <translation>未调整：%1</translation>
    </message>
    <message>
        <source>Let the link follow the order</source>
        <translation>链接号改为随顺序编排</translation>
    </message>
    <message>
        <source>Pin the link number</source>
        <translation>固定链接号</translation>
    </message>
    <message>
        <source>Not changed: %1</source>
        <translation>未修改：%1</translation>
    </message>
    <message>
        <source>Pin link #%1</source>
        <translation>固定为%1号链接</translation>
    </message>
    <message>
        <source>Change the live price</source>
        <translation>修改直播价</translation>
    </message>
    <message>
        <source>Change the deal</source>
        <translation>修改优惠</translation>
    </message>
    <message>
        <source>Change the planned duration</source>
        <translation>修改计划时长</translation>
    </message>
    <message>
        <source>Change the stock at the start</source>
        <translation>修改开播库存</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>未保存：%1</translation>
    </message>
</context>
<context>
    <name>QueueEditorModel</name>
    <message>
        <source>Link</source>
        <translation>链接号</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>Live price</source>
        <translation>直播价</translation>
    </message>
    <message>
        <source>Counter price</source>
        <translation>专柜价</translation>
    </message>
    <message>
        <source>Deal</source>
        <translation>优惠</translation>
    </message>
    <message>
        <source>Planned</source>
        <translation>计划时长</translation>
    </message>
    <message>
        <source>Stock at start</source>
        <translation>开播库存</translation>
    </message>
    <message>
        <source>Ready gate</source>
        <translation>开播检查</translation>
    </message>
    <message>
        <source>#%1 (pinned)</source>
        <translation>%1号链接（固定）</translation>
    </message>
    <message>
        <source>#%1</source>
        <translation>%1号链接</translation>
    </message>
    <message>
        <source>Blocked: %1</source>
        <translation>禁止开播：%1</translation>
    </message>
    <message>
        <source>Check: %1</source>
        <translation>请核对：%1</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>Pinned: stays #%1 when the queue is reordered (Ctrl+P lets it follow the order)</source>
        <translation>已固定：调整顺序时仍为%1号链接（按 Ctrl+P 改为随顺序编排）</translation>
    </message>
    <message>
        <source>Follows the order (Ctrl+P pins it)</source>
        <translation>随顺序编排（按 Ctrl+P 固定）</translation>
    </message>
    <message>
        <source>The store holds %1</source>
        <translation>本店库存 %1</translation>
    </message>
</context>
<context>
    <name>QueueHeader</name>
    <message>
        <source>Undo %1 (Ctrl+Z)</source>
        <translation>撤销：%1（Ctrl+Z）</translation>
    </message>
    <message>
        <source>Nothing to undo</source>
        <translation>没有可撤销的操作</translation>
    </message>
    <message>
        <source>Redo %1 (Ctrl+Shift+Z)</source>
        <translation>重做：%1（Ctrl+Shift+Z）</translation>
    </message>
    <message>
        <source>Nothing to redo</source>
        <translation>没有可重做的操作</translation>
    </message>
    <message>
        <source>No broadcast selected</source>
        <translation>未选择直播场次</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; · %2 · %3</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; · %2 · %3</translation>
    </message>
    <message>
        <source>Planned %1 of %2</source>
        <translation>已排 %1 / 共 %2</translation>
    </message>
    <message>
        <source>%1 · %2 to spare</source>
        <translation>%1 · 尚余 %2</translation>
    </message>
    <message>
        <source>%1 · %2 over</source>
        <translation>%1 · 超出 %2</translation>
    </message>
    <message>
        <source>Marked ready.</source>
        <translation>已标记为就绪。</translation>
    </message>
</context>
<context>
    <name>QueueTableModel</name>
    <message>
        <source>Link</source>
        <translation>链接号</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>Brand</source>
        <translation>品牌</translation>
    </message>
    <message>
        <source>Live price</source>
        <translation>直播价</translation>
    </message>
    <message>
        <source>Counter price</source>
        <translation>专柜价</translation>
    </message>
    <message>
        <source>Deal</source>
        <translation>优惠</translation>
    </message>
    <message>
        <source>Planned</source>
        <translation>计划时长</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Blocked: papers missing</source>
        <translation>禁止上播：缺资质</translation>
    </message>
    <message>
        <source>#%1</source>
        <translation>%1号链接</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <source>A reason is needed</source>
        <translation>需要填写原因</translation>
    </message>
    <message>
        <source>The rules warn:
%1

Why go ahead anyway? (recorded on the shift)</source>
        <translation>排班规则提醒：
%1

仍要这样排的原因？（会记录在班次上）</translation>
    </message>
</context>
<context>
    <name>RejectDialog</name>
    <message>
        <source>Reject this version</source>
        <translation>驳回此版本</translation>
    </message>
    <message>
        <source>Tell the anchor what to change; they see your comment with the version.</source>
        <translation>告诉主播要改什么；他们会在该版本旁看到你的意见。</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>驳回</translation>
    </message>
</context>
<context>
    <name>ReportModel</name>
    <message>
        <source>Broadcast</source>
        <translation>直播场次</translation>
    </message>
    <message>
        <source>Room code</source>
        <translation>直播间编号</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>直播间</translation>
    </message>
    <message>
        <source>Platforms</source>
        <translation>平台</translation>
    </message>
    <message>
        <source>Hosts</source>
        <translation>主播</translation>
    </message>
    <message>
        <source>Brand</source>
        <translation>品牌</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>品类</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Anchor code</source>
        <translation>主播编号</translation>
    </message>
    <message>
        <source>Anchor</source>
        <translation>主播</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>Store code</source>
        <translation>门店编号</translation>
    </message>
    <message>
        <source>Store</source>
        <translation>门店</translation>
    </message>
    <message>
        <source>Link</source>
        <translation>链接号</translation>
    </message>
    <message>
        <source>Broadcasts</source>
        <translation>场次</translation>
    </message>
    <message>
        <source>Planned</source>
        <translation>计划时长</translation>
    </message>
    <message>
        <source>Actual</source>
        <translation>实际时长</translation>
    </message>
    <message>
        <source>Over/under</source>
        <translation>超时/提前</translation>
    </message>
    <message>
        <source>Products planned</source>
        <translation>计划商品数</translation>
    </message>
    <message>
        <source>Products explained</source>
        <translation>已讲解商品数</translation>
    </message>
    <message>
        <source>Explained</source>
        <translation>已讲解</translation>
    </message>
    <message>
        <source>Peak viewers</source>
        <translation>最高在线</translation>
    </message>
    <message>
        <source>Average viewers</source>
        <translation>平均在线</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>GMV</source>
        <translation>成交额</translation>
    </message>
    <message>
        <source>GMV per hour</source>
        <translation>每小时成交额</translation>
    </message>
    <message>
        <source>Sold out</source>
        <translation>售罄次数</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>ReportTableModel</name>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Broadcast</source>
        <translation>直播场次</translation>
    </message>
    <message>
        <source>Planned</source>
        <translation>计划时长</translation>
    </message>
    <message>
        <source>Actual</source>
        <translation>实际时长</translation>
    </message>
    <message>
        <source>Products shown</source>
        <translation>已讲解商品</translation>
    </message>
    <message>
        <source>Peak viewers</source>
        <translation>最高在线</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>订单数</translation>
    </message>
    <message>
        <source>Sales</source>
        <translation>销售额</translation>
    </message>
</context>
<context>
    <name>ReportsPage</name>
    <message>
        <source>Reports</source>
        <translation>报表</translation>
    </message>
    <message>
        <source>What each broadcast, anchor, room, product and store sold: planned against actual, viewers, orders and GMV. Rehearsals and cancelled shows never count. Double-click a store or a broadcast to open it.</source>
        <translation>每场直播、每位主播、每个直播间、每件商品和门店的销售情况：计划与实际、观看人数、订单和成交额。彩排和已取消的直播从不计入。双击门店或直播场次可打开查看。</translation>
    </message>
    <message>
        <source>The shows you hosted: planned against actual, viewers, orders and GMV. The store&apos;s other figures are for store managers and head office.</source>
        <translation>您主持过的直播：计划与实际、观看、订单和成交额。门店的其他数据仅供店长和总部查看。</translation>
    </message>
    <message>
        <source>Broadcasts</source>
        <translation>直播场次</translation>
    </message>
    <message>
        <source>Rooms</source>
        <translation>直播间</translation>
    </message>
    <message>
        <source>Stores</source>
        <translation>门店</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Export Excel…</source>
        <translation>导出 Excel…</translation>
    </message>
    <message>
        <source>Broadcast PDF…</source>
        <translation>直播场次 PDF…</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <source>Viewers</source>
        <translation>在线人数</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>GMV (¥)</source>
        <translation>成交额（元）</translation>
    </message>
    <message>
        <source>All platforms</source>
        <translation>全部平台</translation>
    </message>
    <message>
        <source>All rooms</source>
        <translation>全部直播间</translation>
    </message>
    <message>
        <source>All brands</source>
        <translation>全部品牌</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>全部品类</translation>
    </message>
    <message>
        <source>%1: its broadcasts</source>
        <translation>%1：各场直播</translation>
    </message>
    <message>
        <source>%1: its products</source>
        <translation>%1：各件商品</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Export report</source>
        <translation>导出报表</translation>
    </message>
    <message>
        <source>Writing the report…</source>
        <translation>正在写入报表…</translation>
    </message>
    <message>
        <source>Broadcast PDF</source>
        <translation>直播场次 PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>%1 · %2 · planned %3, actual %4</source>
        <translation>%1 · %2 · 计划 %3，实际 %4</translation>
    </message>
    <message>
        <source>Products explained %1 of %2 · peak viewers %3 · orders %4 · GMV %5</source>
        <translation>已讲解商品 %1/%2 · 最高在线 %3 · 订单 %4 · 成交额 %5</translation>
    </message>
    <message>
        <source>Anchors</source>
        <translation>主播</translation>
    </message>
    <message>
        <source>Products</source>
        <translation>商品</translation>
    </message>
</context>
<context>
    <name>RequestTabs</name>
    <message>
        <source>Approve</source>
        <translation>批准</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>驳回</translation>
    </message>
    <message>
        <source>%1 · %2 · %3</source>
        <translation>%1 · %2 · %3</translation>
    </message>
    <message>
        <source>%1 → %2 · shift %3 · %4</source>
        <translation>%1 → %2 · 班次 %3 · %4</translation>
    </message>
    <message>
        <source>Time off to decide (%1)</source>
        <translation>待审批请假（%1）</translation>
    </message>
    <message>
        <source>Swaps to decide (%1)</source>
        <translation>待审批调班（%1）</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>Needs attention (%1)</source>
        <translation>待处理班次（%1）</translation>
    </message>
    <message>
        <source>%1 has %2 booked shifts inside this time off. Approved, they stay on the board, flagged, until you move them or give them to someone else.</source>
        <translation>%1在这段请假期间有 %2 个已排班次。批准后这些班次仍留在排班表上并标记出来，直到您改了时间或改派给别人。</translation>
    </message>
    <message>
        <source>Approve time off?</source>
        <translation>批准请假？</translation>
    </message>
    <message>
        <source>Approve anyway</source>
        <translation>仍然批准</translation>
    </message>
</context>
<context>
    <name>RoomTableModel</name>
    <message>
        <source>Code</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Platforms</source>
        <translation>直播平台</translation>
    </message>
    <message>
        <source>Opens</source>
        <translation>开播时间</translation>
    </message>
    <message>
        <source>Closes</source>
        <translation>关播时间</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>RosterCommands</name>
    <message>
        <source>Add shift</source>
        <translation>新增班次</translation>
    </message>
    <message>
        <source>Move shift</source>
        <translation>调整班次</translation>
    </message>
    <message>
        <source>Remove shift</source>
        <translation>删除班次</translation>
    </message>
</context>
<context>
    <name>RosterExportDialog</name>
    <message>
        <source>CSV (the import&apos;s columns)</source>
        <translation>CSV（与导入相同的列）</translation>
    </message>
    <message>
        <source>Excel workbook (.xlsx, the import&apos;s columns)</source>
        <translation>Excel 工作簿（.xlsx，与导入相同的列）</translation>
    </message>
    <message>
        <source>iCalendar (.ics, for phones&apos; calendars)</source>
        <translation>iCalendar（.ics，供手机日历使用）</translation>
    </message>
    <message>
        <source>Export roster</source>
        <translation>导出排班</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>The week shown (%1)</source>
        <translation>当前显示的一周（%1）</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>to</source>
        <translation>到</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Where to save it</source>
        <translation>保存位置</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>The last day is before the first.</source>
        <translation>结束日期早于开始日期。</translation>
    </message>
    <message>
        <source>Export at most a year at a time.</source>
        <translation>一次最多导出一年。</translation>
    </message>
    <message>
        <source>Choose the file to save it in.</source>
        <translation>请选择要保存的文件。</translation>
    </message>
    <message>
        <source>Exporting to %1…</source>
        <translation>正在导出到 %1…</translation>
    </message>
    <message>
        <source>Wrote %1 shifts (%2) to %3.</source>
        <translation>已将 %1 个班次（%2）写入 %3。</translation>
    </message>
</context>
<context>
    <name>RosterFiles</name>
    <message>
        <source>Reading %1…</source>
        <translation>正在读取 %1…</translation>
    </message>
    <message>
        <source>Import roster</source>
        <translation>导入排班</translation>
    </message>
    <message>
        <source>Roster files (%1)</source>
        <translation>排班文件（%1）</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <source>Export roster</source>
        <translation>导出排班</translation>
    </message>
</context>
<context>
    <name>RosterImportDialog</name>
    <message>
        <source>Import roster: %1</source>
        <translation>导入排班：%1</translation>
    </message>
    <message>
        <source>Needs a reason: %1</source>
        <translation>需要填写理由：%1</translation>
    </message>
    <message>
        <source>Reads well</source>
        <translation>可以导入</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Anchor</source>
        <translation>主播</translation>
    </message>
    <message>
        <source>Live room</source>
        <translation>直播间</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>End</source>
        <translation>结束</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Broadcast</source>
        <translation>直播场次</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>%1 rows, %2 with problems.</source>
        <translation>共 %1 行，其中 %2 行有问题。</translation>
    </message>
    <message>
        <source>Nothing can be imported from %1:</source>
        <translation>%1 无法导入：</translation>
    </message>
    <message>
        <source>The import is all or nothing: fix every row with a problem in the file, then import it again.</source>
        <translation>导入要么全部成功，要么什么都不写入：请在文件中改好每一行有问题的数据，再重新导入。</translation>
    </message>
    <message>
        <source>Nothing is written until you import.</source>
        <translation>点击导入之前不会写入任何内容。</translation>
    </message>
    <message>
        <source>%1 rows need a reason; you are asked for it when you import.</source>
        <translation>有 %1 行需要填写理由，导入时会请您填写。</translation>
    </message>
    <message>
        <source>Import %1 shifts</source>
        <translation>导入 %1 个班次</translation>
    </message>
    <message>
        <source>Importing %1…</source>
        <translation>正在导入 %1…</translation>
    </message>
</context>
<context>
    <name>RosterPage</name>
    <message>
        <source>Roster</source>
        <translation>排班</translation>
    </message>
    <message>
        <source>My shifts</source>
        <translation>我的班次</translation>
    </message>
    <message>
        <source>Drag on a lane to add a shift, drag a block to move it, drag its right edge to change its end. Impossible positions turn red and are refused; warnings need a reason.</source>
        <translation>在空白处拖动即可新增班次，拖动班次可调整时间或换人换直播间，拖动右边缘可改下班时间。排不了的位置会标红并拒绝；有提醒的需填写原因。</translation>
    </message>
    <message>
        <source>Your published shifts for the coming weeks. Ask for time off or offer a shift to a colleague; your store manager decides.</source>
        <translation>这是你接下来几周已发布的班次。可以申请请假，或把班次调给同事，由店长审批。</translation>
    </message>
    <message>
        <source>Live rooms</source>
        <translation>按直播间</translation>
    </message>
    <message>
        <source>Anchors</source>
        <translation>按主播</translation>
    </message>
    <message>
        <source>Not possible at %1:</source>
        <translation>%1 无法排班：</translation>
    </message>
    <message>
        <source>Allowed at %1, with a reason:</source>
        <translation>%1 可以排，但需填写原因：</translation>
    </message>
    <message>
        <source>Draft (not published yet)</source>
        <translation>草稿（尚未发布）</translation>
    </message>
    <message>
        <source>Published</source>
        <translation>已发布</translation>
    </message>
    <message>
        <source>Changed since it was published</source>
        <translation>发布后有改动</translation>
    </message>
    <message>
        <source>Reason given: %1</source>
        <translation>已填原因：%1</translation>
    </message>
    <message>
        <source>Needs moving or reassigning:</source>
        <translation>需改时间或改派：</translation>
    </message>
    <message>
        <source>%1 / %2 h</source>
        <translation>%1 / %2 小时</translation>
    </message>
    <message>
        <source>today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>Today %1</source>
        <translation>今天 %1</translation>
    </message>
    <message>
        <source>Nothing to show with these filters.</source>
        <translation>当前筛选条件下没有内容。</translation>
    </message>
    <message>
        <source>Hours this week</source>
        <translation>本周工时</translation>
    </message>
    <message>
        <source>Needs moving or reassigning: %1</source>
        <translation>需改时间或改派：%1</translation>
    </message>
    <message>
        <source>%1 (no longer active)</source>
        <translation>%1（已停用）</translation>
    </message>
    <message>
        <source>Publish changes (%1)</source>
        <translation>发布变动（%1）</translation>
    </message>
    <message>
        <source>%1 – %2 · week %3</source>
        <translation>%1 – %2 · 第%3周</translation>
    </message>
    <message>
        <source>Select a shift with a click or ↑/↓; ←/→ move it by 15 minutes, Shift+←/→ change its end, Delete removes it; Ctrl+Z undoes.</source>
        <translation>单击或用 ↑/↓ 选中班次；←/→ 前后移动15分钟，Shift+←/→ 调整下班时间，Delete 删除；Ctrl+Z 撤销。</translation>
    </message>
    <message>
        <source>%1  %2 / %3 h</source>
        <translation>%1  %2 / %3 小时</translation>
    </message>
    <message>
        <source>Shows who is affected, then publishes this week&apos;s changes.</source>
        <translation>先列出受影响的主播，确认后发布本周的变动。</translation>
    </message>
    <message>
        <source>Every shift this week is published; anchors see them.</source>
        <translation>本周班次均已发布，主播都能看到。</translation>
    </message>
    <message>
        <source>Nothing to publish</source>
        <translation>无需发布</translation>
    </message>
    <message>
        <source>This week has no shifts yet.</source>
        <translation>本周还没有班次。</translation>
    </message>
</context>
<context>
    <name>ScriptEditor</name>
    <message>
        <source>Reference: %1</source>
        <translation>依据：%1</translation>
    </message>
    <message>
        <source>Suggestion: %1</source>
        <translation>建议：%1</translation>
    </message>
    <message>
        <source>%1 puts in: %2</source>
        <translation>%1 替换为：%2</translation>
    </message>
    <message>
        <source>%1 takes these words out</source>
        <translation>%1 删去这些字</translation>
    </message>
</context>
<context>
    <name>ScriptTableModel</name>
    <message>
        <source>Script</source>
        <translation>话术</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>On prompter</source>
        <translation>可上提词器</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>更新时间</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>ScriptsPage</name>
    <message>
        <source>Scripts</source>
        <translation>话术</translation>
    </message>
    <message>
        <source>Write what to say; the guard underlines what the law or the platform forbids as you type (red blocks approval, amber needs care). Only an approved version reaches the prompter.</source>
        <translation>写下要说的话；合规检查会在输入时标出法律或平台禁止的说法（红色阻止审批，黄色需要留意）。只有审批通过的版本才会上提词器。</translation>
    </message>
    <message>
        <source>Filter by title or product (Ctrl+L)</source>
        <translation>按标题或商品筛选（Ctrl+L）</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>任意状态</translation>
    </message>
    <message>
        <source>Script</source>
        <translation>话术</translation>
    </message>
    <message>
        <source>Versions and differences</source>
        <translation>版本与差异</translation>
    </message>
    <message>
        <source>Any product</source>
        <translation>任意商品</translation>
    </message>
    <message>
        <source>Any broadcast</source>
        <translation>任意场次</translation>
    </message>
    <message>
        <source>For every broadcast</source>
        <translation>通用（所有场次）</translation>
    </message>
    <message>
        <source>Rule pack %1</source>
        <translation>规则包 %1</translation>
    </message>
    <message>
        <source>Scripts are checked against this rule pack</source>
        <translation>话术按此规则包检查</translation>
    </message>
    <message>
        <source>Choose a script on the left.</source>
        <translation>请在左侧选择一份话术。</translation>
    </message>
    <message>
        <source>every broadcast</source>
        <translation>所有场次</translation>
    </message>
    <message>
        <source>Version %1: %2</source>
        <translation>第 %1 版：%2</translation>
    </message>
    <message>
        <source>written by %1</source>
        <translation>撰写人 %1</translation>
    </message>
    <message>
        <source>the prompter shows version %1</source>
        <translation>提词器显示第 %1 版</translation>
    </message>
    <message>
        <source>not on the prompter until a version is approved</source>
        <translation>有版本审批通过前不会上提词器</translation>
    </message>
    <message>
        <source>unsaved changes (Ctrl+S saves a new version)</source>
        <translation>有未保存的修改（Ctrl+S 保存为新版本）</translation>
    </message>
    <message>
        <source>Rejected by %1: %2</source>
        <translation>%1 驳回：%2</translation>
    </message>
    <message>
        <source>The approved version fails the rule pack now in force: reword it and submit again.</source>
        <translation>已批准的版本不符合现行规则包：请修改措辞后重新提交。</translation>
    </message>
    <message>
        <source>&amp;Findings: none. Nothing the guard knows of is wrong here.</source>
        <translation>检查结果(&amp;F)：无。未发现已知的违规说法。</translation>
    </message>
    <message>
        <source>&amp;Findings: %1 blocking, %2 to take care with (F8 goes to the next)</source>
        <translation>检查结果(&amp;F)：%1 处阻止，%2 处需留意（F8 跳到下一处）</translation>
    </message>
    <message>
        <source>Blocks</source>
        <translation>阻止</translation>
    </message>
    <message>
        <source>Care</source>
        <translation>留意</translation>
    </message>
    <message>
        <source>No wording to put in for “%1”; the advice: %2</source>
        <translation>“%1”没有可直接替换的说法；建议：%2</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Saved as version %1, a draft.</source>
        <translation>已保存为第 %1 版（草稿）。</translation>
    </message>
    <message>
        <source>Submitting…</source>
        <translation>正在提交…</translation>
    </message>
    <message>
        <source>Version %1 submitted for approval.</source>
        <translation>第 %1 版已提交审批。</translation>
    </message>
    <message numerus="yes">
        <source>It still has %n blocking finding(s): a store manager can approve it only with a reason.</source>
        <translation>
            <numerusform>仍有 %n 处阻止审批的问题：店长须填写理由才能批准。</numerusform>
        </translation>
    </message>
    <message>
        <source>Approving…</source>
        <translation>正在审批…</translation>
    </message>
    <message>
        <source>Version %1 approved: the prompter shows it from now on.</source>
        <translation>第 %1 版已批准：提词器从现在起显示此版本。</translation>
    </message>
    <message>
        <source>Approved over its blocking findings; your reason is in the audit log.</source>
        <translation>已越过阻止项批准；你的理由已记入审计日志。</translation>
    </message>
    <message>
        <source>Version %1 rejected; the writer sees your comment.</source>
        <translation>第 %1 版已驳回；撰写人会看到你的意见。</translation>
    </message>
    <message>
        <source>“%1” created from its template as a draft.</source>
        <translation>已按模板创建“%1”（草稿）。</translation>
    </message>
    <message>
        <source>The text of version %1 is in the editor; Ctrl+S keeps it as a new version.</source>
        <translation>第 %1 版的内容已放入编辑器；按 Ctrl+S 保存为新版本。</translation>
    </message>
</context>
<context>
    <name>Segments</name>
    <message>
        <source>Opening</source>
        <translation>开场</translation>
    </message>
    <message>
        <source>Interaction</source>
        <translation>互动</translation>
    </message>
    <message>
        <source>Closing</source>
        <translation>结束语</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>快捷键</translation>
    </message>
    <message>
        <source>What</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
</context>
<context>
    <name>ShowSummaryModel</name>
    <message>
        <source>Link</source>
        <translation>链接</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>Planned</source>
        <translation>计划</translation>
    </message>
    <message>
        <source>Actual</source>
        <translation>实际</translation>
    </message>
    <message>
        <source>Over</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Sold out at</source>
        <translation>售罄时间</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Sign in — Anchor Console</source>
        <translation>登录 — 主播控制台</translation>
    </message>
    <message>
        <source>Opening the store…</source>
        <translation>正在打开门店数据…</translation>
    </message>
    <message>
        <source>Sign in to %1</source>
        <translation>登录 %1</translation>
    </message>
    <message>
        <source>Who are you</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN 码</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
</context>
<context>
    <name>SkuListModel</name>
    <message>
        <source>SKU</source>
        <translation>货号</translation>
    </message>
</context>
<context>
    <name>StrandedShiftsDialog</name>
    <message>
        <source>Shift</source>
        <translation>班次</translation>
    </message>
    <message>
        <source>Why it needs moving</source>
        <translation>需要调整的原因</translation>
    </message>
</context>
<context>
    <name>SwapDialog</name>
    <message>
        <source>Offer this shift for a swap</source>
        <translation>申请调班</translation>
    </message>
    <message>
        <source>%1 of %2 colleagues are free then. Choose who you offer it to:</source>
        <translation>%2 位同事中有 %1 位这段时间有空。请选择调班对象：</translation>
    </message>
    <message>
        <source>not possible: %1</source>
        <translation>不可调：%1</translation>
    </message>
    <message>
        <source>free, with a warning: %1</source>
        <translation>有空，但有提醒：%1</translation>
    </message>
    <message>
        <source>free</source>
        <translation>有空</translation>
    </message>
    <message>
        <source>Reason (your store manager reads it)</source>
        <translation>原因（店长会看到）</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <source>The store works offline; changes wait here until head office can be reached.</source>
        <translation>门店可离线工作；变更在此排队，连上总部后再上传。</translation>
    </message>
    <message>
        <source>Head office</source>
        <translation>总部</translation>
    </message>
    <message>
        <source>Changes waiting</source>
        <translation>待上传变更</translation>
    </message>
    <message>
        <source>Last success</source>
        <translation>上次成功</translation>
    </message>
    <message>
        <source>Last problem</source>
        <translation>上次出错</translation>
    </message>
    <message>
        <source>Mark all as reviewed</source>
        <translation>全部标为已查看</translation>
    </message>
    <message>
        <source>Clears this list once someone has looked at it; what head office kept stays as it is.</source>
        <translation>确认已查看后清空此列表；总部保留的数据保持不变。</translation>
    </message>
    <message>
        <source>To review (%1)</source>
        <translation>待查看（%1）</translation>
    </message>
    <message>
        <source>Nothing to review</source>
        <translation>没有待查看的内容</translation>
    </message>
    <message>
        <source>Conflict settled; it reaches head office with the next sync.</source>
        <translation>冲突已处理；下次同步时送达总部。</translation>
    </message>
    <message>
        <source>Syncing with head office…</source>
        <translation>正在与总部同步…</translation>
    </message>
    <message>
        <source>Sync did not finish.</source>
        <translation>同步未完成。</translation>
    </message>
    <message>
        <source>Sent %1, received %2.</source>
        <translation>已上传 %1 条，已下载 %2 条。</translation>
    </message>
    <message>
        <source>Not enrolled yet</source>
        <translation>尚未接入</translation>
    </message>
    <message>
        <source>Both sides of the selected conflict, to keep one or the other or merge them (Enter)</source>
        <translation>查看所选冲突的双方，保留其中一方或合并（回车）</translation>
    </message>
    <message>
        <source>Enrol this console with head office first.</source>
        <translation>请先把这台控制台注册到总部。</translation>
    </message>
    <message>
        <source>Finish enrolling…</source>
        <translation>完成注册…</translation>
    </message>
    <message>
        <source>Enrol with head office…</source>
        <translation>向总部注册…</translation>
    </message>
    <message>
        <source>%1 (enrolment not finished)</source>
        <translation>%1（注册未完成）</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>从未</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
</context>
<context>
    <name>SyncReviewModel</name>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>What</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>数据表</translation>
    </message>
    <message>
        <source>Fields</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>This store tried</source>
        <translation>本店提交的值</translation>
    </message>
    <message>
        <source>Head office kept</source>
        <translation>总部保留的值</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>被拒绝</translation>
    </message>
    <message>
        <source>Conflict (this console)</source>
        <translation>冲突（本机）</translation>
    </message>
    <message>
        <source>Conflict (other console)</source>
        <translation>冲突（其他电脑）</translation>
    </message>
</context>
<context>
    <name>TimeOffDialog</name>
    <message>
        <source>Ask for time off</source>
        <translation>申请请假</translation>
    </message>
    <message>
        <source>First day off</source>
        <translation>请假开始日</translation>
    </message>
    <message>
        <source>Last day off</source>
        <translation>请假结束日</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>The last day off is before the first; choose the days in order.</source>
        <translation>请假结束日早于开始日，请按先后顺序选择日期。</translation>
    </message>
    <message>
        <source>Time off can last a year at most.</source>
        <translation>请假最长一年。</translation>
    </message>
    <message>
        <source>Off %1 (%2 days)</source>
        <translation>请假 %1（共 %2 天）</translation>
    </message>
</context>
<context>
    <name>UnsavedChangesBox</name>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的修改</translation>
    </message>
    <message>
        <source>%1 has unsaved changes.</source>
        <translation>“%1”有未保存的修改。</translation>
    </message>
    <message>
        <source>Save keeps the text as a new draft version; Discard drops it.</source>
        <translation>“保存”将这段文字存为新的草稿版本；“放弃”则丢弃它。</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Discard</source>
        <translation>放弃(&amp;D)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>VersionsPanel</name>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Written by</source>
        <translation>撰写人</translation>
    </message>
    <message>
        <source>Decided by</source>
        <translation>审批人</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>意见</translation>
    </message>
    <message>
        <source>Older</source>
        <translation>较早</translation>
    </message>
    <message>
        <source>Newer</source>
        <translation>较新</translation>
    </message>
    <message>
        <source>&amp;Compare</source>
        <translation>比较(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;with</source>
        <translation>与(&amp;W)</translation>
    </message>
</context>
<context>
    <name>WeekBoard</name>
    <message>
        <source>Select the previous / next shift</source>
        <translation>选中上一个 / 下一个班次</translation>
    </message>
    <message>
        <source>Move the selected shift 15 minutes earlier / later</source>
        <translation>将选中的班次提前 / 推后 15 分钟</translation>
    </message>
    <message>
        <source>End the selected shift 15 minutes earlier / later</source>
        <translation>将选中班次的下班时间提前 / 推后 15 分钟</translation>
    </message>
    <message>
        <source>Take the selected shift off the roster</source>
        <translation>将选中的班次从排班中撤下</translation>
    </message>
    <message>
        <source>Cancel a drag</source>
        <translation>取消拖动</translation>
    </message>
</context>
<context>
    <name>WeekModel</name>
    <message>
        <source>Shifts: %1 · %2 h</source>
        <translation>%1 个班次 · %2 小时</translation>
    </message>
    <message>
        <source>Needs moving or reassigning: %1</source>
        <translation>需改时间或改派：%1</translation>
    </message>
    <message>
        <source>%1 (%2): %3 h of %4 h this week</source>
        <translation>%1（%2）：本周 %3 / %4 小时</translation>
    </message>
</context>
</TS>
